"""Time the Pulumi program for one stack under mocks, from process start to the last
resource registration, and list the SDK modules it imported.

    .venv/bin/python bench/pulumi_program.py prod
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time

START = time.perf_counter()

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)


def main(stack: str) -> dict[str, object]:
    import pulumi

    from mlinfra_compile.backends import pulumi_program

    registered: list[float] = []

    class Mocks(pulumi.runtime.Mocks):
        def new_resource(self, args):  # type: ignore[no-untyped-def]
            registered.append(time.perf_counter())
            return [f"{args.name}-id", {**args.inputs, "name": args.name}]

        def call(self, args):  # type: ignore[no-untyped-def]
            return {}

    pulumi.runtime.set_mocks(Mocks(), project="mlinfra", stack=stack, preview=False)
    os.chdir(REPO)

    @pulumi.runtime.test
    def program():  # type: ignore[no-untyped-def]
        built = pulumi_program.run()
        return pulumi.Output.all(*[r.urn for r in built.values()])

    program()
    # The SDKs put every subpackage in sys.modules as a lazy module; count only the ones
    # actually loaded.
    sdk = sorted(name for name, mod in list(sys.modules.items())
                 if name.startswith(("pulumi_gcp.", "pulumi_aws.")) and name.count(".") == 1
                 and type(mod).__name__ != "_LazyModule")
    return {
        "stack": stack,
        "resources": len(registered),
        "seconds_to_last_registration": round(registered[-1] - START, 3),
        "sdk_subpackages_imported": sdk,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1] if len(sys.argv) > 1 else "prod"), indent=2), flush=True)
    os._exit(0)  # skip the SDK's noisy event-loop teardown
