"""Pulumi program (see Pulumi.yaml): compile environments/<stack>.yaml and materialize it."""

from mlinfra_compile.backends.pulumi_program import run

run()
