"""The Pulumi program: compile environments/<stack>.yaml with mlinfra and register it."""

from mlinfra_compile.backends.pulumi_program import run

run()
