"""`make floor`: the oldest Pulumi SDKs pyproject.toml admits build every graph mlinfra compiles.

The floors are the lower bounds of pyproject's `pulumi` extra, read here and written down
nowhere else. `python3 tests/floor.py --requirements` prints what .venv-floor installs: each
of those SDKs pinned exactly (==) at its lower bound, the core dependencies as pyproject gives
them, and pytest (for the mocks of tests/test_pulumi_backend.py). `python -m tests.floor`, run
by .venv-floor's python from the repository (so the package is the working tree's, as an
editable install would give it), then

- checks that the installed SDKs are exactly the floors;
- compiles every shipped environment (environments/*.yaml) and every environment of the
  golden cases under tests/cases that compiles;
- checks every argument of every resource, and every key of a nested argument (a Redis
  maintenance window, a subscription's retry policy), against the SDK class's signature;
- registers every resource with the Pulumi program's own `materialize` under
  pulumi.runtime.Mocks (preview=False), the way tests/test_pulumi_backend.py does.

It exits 1 naming each environment, resource and argument the floor lacks. Where the SDKs
installed are not the floors (.venv) it checks nothing and says so (exit 2), unless told
`--installed`: the same checks with whatever is installed.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# what the floor venv needs besides the package's own dependencies
EXTRA = ["pytest>=8"]


def floors(pyproject: Path = ROOT / "pyproject.toml") -> dict[str, str]:
    """{distribution: lower bound} of every requirement of the `pulumi` extra, in order."""
    doc = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for req in doc["project"]["optional-dependencies"]["pulumi"]:
        m = re.fullmatch(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*)", req)
        bound = re.search(r">=\s*([0-9][0-9A-Za-z.+!-]*)", m.group(2)) if m else None
        if not m or not bound:
            raise SystemExit(f"pyproject.toml: the pulumi extra's {req!r} has no lower bound "
                             "(>=X), which make floor installs and tests")
        out[m.group(1).lower()] = bound.group(1)
    return out


def requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    doc = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    return [*doc["project"]["dependencies"],
            *(f"{name}=={version}" for name, version in floors(pyproject).items()), *EXTRA]


def _release(version: str) -> tuple[int, ...]:
    """'9.4' and '9.4.0' alike (PEP 440 pads a release with zeros)."""
    parts = [int(p) for p in re.findall(r"\d+", version.split("+")[0])]
    while parts and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def installed_mismatches(wanted: dict[str, str]) -> list[str]:
    from importlib.metadata import PackageNotFoundError, version

    bad = []
    for name, floor in wanted.items():
        try:
            have = version(name)
        except PackageNotFoundError:
            have = "none"
        if _release(have) != _release(floor):
            bad.append(f"{name} {have} is installed, not the floor {floor}")
    return bad


# --- the environments ------------------------------------------------------------------------

def environments() -> list[tuple[Path, str]]:
    """(root, environment) of every shipped environment and every golden case's."""
    from tests.golden import CASES
    from tests.golden import environments as names

    roots = [ROOT, *(d for d in sorted(CASES.iterdir()) if (d / "environments").is_dir())]
    return [(root, env) for root in roots for env in names(root)]


def compiled(root: Path, env: str) -> tuple[str, dict[str, Any] | None]:
    """The file of environment ENV under ROOT (relative to the repository) and its graph,
    None when it does not compile."""
    from mlinfra_compile.resolve import Workspace, compile_environment

    ws = Workspace(str(root))
    path = ws.find(env)
    result = compile_environment(ws, path)
    label = str(Path(path).resolve().relative_to(ROOT))
    return label, None if result.graph is None else result.graph.to_json()


# --- arguments against the SDK's signatures --------------------------------------------------

def _parameters(fn: Any) -> dict[str, Any]:
    import inspect

    return dict(inspect.signature(fn).parameters)


def _nested_class(args_cls: type, key: str) -> type | None:
    """The input type (an ...Args class) an argument's annotation names; None for a map
    (labels, tags, redis_configs: any keys), a scalar or a list of scalars."""
    annotation = str(_parameters(args_cls.__init__)[key].annotation)
    if re.search(r"(Mapping|Dict|dict)\[", annotation):
        return None
    names = re.findall(r"\b(\w+Args)\b", annotation)
    module = sys.modules[args_cls.__module__]
    return getattr(module, names[0], None) if names else None


def _unknown_nested(value: Any, args_cls: type, path: str) -> list[str]:
    """Keys of a nested argument its input type has no parameter for (the SDK would pass
    them on untranslated, and the provider ignore or refuse them)."""
    params = _parameters(args_cls.__init__)
    out = []
    for key, sub in value.items():
        if key not in params:
            out.append(f"{path}.{key}")
            continue
        inner = _nested_class(args_cls, key) if isinstance(sub, dict | list) else None
        for item in (sub if isinstance(sub, list) else [sub]) if inner else []:
            if isinstance(item, dict) and not any(k.startswith("$") for k in item):
                out.extend(_unknown_nested(item, inner, f"{path}.{key}"))
    return out


def unknown_arguments(resource: dict[str, Any]) -> list[str]:
    """The arguments (and nested keys) of a graph resource its SDK class lacks."""
    import importlib

    from mlinfra_compile.backends.pulumi_program import sdk_class

    cls = sdk_class(resource["type"])
    params = set(_parameters(cls._internal_init)) - {"self", "opts"}
    missing = sorted(set(resource["args"]) - params)
    args_cls = getattr(importlib.import_module(cls.__module__), f"{cls.__name__}Args", None)
    if args_cls is not None:
        for key, value in sorted(resource["args"].items()):
            if key in params and isinstance(value, dict | list) and key in \
                    _parameters(args_cls.__init__):
                inner = _nested_class(args_cls, key)
                for item in (value if isinstance(value, list) else [value]) if inner else []:
                    if isinstance(item, dict) and not any(k.startswith("$") for k in item):
                        missing += _unknown_nested(item, inner, key)
    return missing


# --- registration under mocks ----------------------------------------------------------------

def _secrets(value: Any) -> set[str]:
    if isinstance(value, dict):
        if "$secret" in value:
            return {value["$secret"]}
        return set().union(*map(_secrets, value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*map(_secrets, value)) if value else set()
    return set()


class RegistrationError(Exception):
    pass


def register(graph: dict[str, Any], env: str) -> list[str]:
    """Register every resource of GRAPH with the program's `materialize` under mocks
    (preview=False); the names registered, in order. A resource the SDK refuses raises
    RegistrationError naming it."""
    import json
    import os

    import pulumi

    from mlinfra_compile.backends import pulumi_program as backend
    from tests.test_pulumi_backend import RecordingMocks

    mocks = RecordingMocks()
    pulumi.runtime.set_mocks(mocks, project="mlinfra", stack=env, preview=False)
    before = os.environ.get("PULUMI_CONFIG")
    os.environ["PULUMI_CONFIG"] = json.dumps(
        {f"mlinfra:{key}": f"floor-check-{key}-0123456789" for key in _secrets(graph)})
    plain = backend.sdk_class

    def named(type_token: str) -> Any:
        cls = plain(type_token)

        def build(resource_name: str, /, **kwargs: Any) -> Any:
            try:
                return cls(resource_name, **kwargs)
            except TypeError as exc:
                raise RegistrationError(f"{resource_name!r} ({type_token}): {exc}") from exc
        return build

    @pulumi.runtime.test
    def program() -> Any:
        built = backend.materialize(graph, export=lambda name, value: None)
        return pulumi.Output.all(*[r.urn for r in built.values()])

    backend.sdk_class = named
    try:
        program()
    finally:
        backend.sdk_class = plain
        if before is None:
            os.environ.pop("PULUMI_CONFIG", None)
        else:
            os.environ["PULUMI_CONFIG"] = before
    return [a.name for a in mocks.created]


def check(label: str, graph: dict[str, Any], env: str, versions: dict[str, str]) -> list[str]:
    """The failures of one compiled environment, each naming it and the resource."""
    failures = []
    for r in graph["resources"]:
        missing = unknown_arguments(r)
        if missing:
            sdk = f"pulumi-{r['type'].split(':')[0]}"
            failures.append(f"{label}: resource {r['name']!r} ({r['type']}): {sdk} "
                            f"{versions.get(sdk, '?')} has no argument {', '.join(missing)}")
    try:
        names = register(graph, env)
    except Exception as exc:  # the SDK's or the runtime's, whatever it is
        failures.append(f"{label}: registering under pulumi.runtime.Mocks failed: "
                        f"{type(exc).__name__}: {exc}")
    else:
        lost = sorted({r["name"] for r in graph["resources"]} - set(names))
        if lost:
            failures.append(f"{label}: not registered: {', '.join(lost)}")
    return failures


def main(argv: list[str]) -> int:
    if argv == ["--requirements"]:
        print("\n".join(requirements()))
        return 0
    if argv not in ([], ["--installed"]):
        print("usage: python3 tests/floor.py --requirements | python -m tests.floor "
              "[--installed]", file=sys.stderr)
        return 2
    import time
    from importlib.metadata import version

    start = time.monotonic()
    wanted = floors()
    if argv == ["--installed"]:  # the same checks with whatever SDKs are installed
        versions = {n: version(n) for n in wanted}
        said = "installed; not necessarily the floors"
    else:
        versions, said = wanted, "pyproject.toml's lower bounds"
        wrong = installed_mismatches(wanted)
        if wrong:
            print("floor: this is not the floor venv (make floor builds .venv-floor): "
                  + "; ".join(wrong), file=sys.stderr)
            return 2
    print(f"floor: {', '.join(f'{n} {v}' for n, v in versions.items())} ({said})", flush=True)
    failures: list[str] = []
    passed = failed = skipped = 0
    for root, env in environments():
        label, graph = compiled(root, env)
        if graph is None:
            skipped += 1  # an error case: no graph to register
            continue
        found = check(label, graph, env, versions)
        failures += found
        passed += not found
        failed += bool(found)
        print(f"  {'FAIL' if found else 'ok  '} {label}: {len(graph['resources'])} resources",
              flush=True)
    for f in failures:
        print(f"FAIL {f}", flush=True)
    print(f"floor: built {passed + failed} environments ({skipped} that do not compile "
          f"skipped) in {time.monotonic() - start:.0f} s")
    print(f"floor: {passed} passed, {failed} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
