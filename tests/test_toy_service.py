"""A new service is one module plus its registry entry, and nothing else: a copy of the
package gains a toy session-store service (one new file in providers/, one entry in
MODULES), and lint, compile, plan, cost, diff and the schema take it without another
edit anywhere."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

from tests.golden import REPO

TOY = '''
"""A toy session store on AWS: one resource, one field, its own change table and price."""

from __future__ import annotations

from typing import Any

from ..graph import Resource
from . import pricing
from .base import Args, Decl, Defaults, Value
from .changes import ChangeTable, in_place, replaces

TYPE = "aws:toy/cache:Cache"
KIND, PROVIDER = "session_store", "aws"
SERVICE = "toy-cache"
IS_DEFAULT = False
ACCEPTS: frozenset[str] | None = frozenset({"memory", "region"})
INSTEAD: dict[str, str] = {"tier": "a toy cache has one tier"}
CLAIMS: frozenset[str] = frozenset()
TITLE = "Toy cache"
DEFAULTS: dict[str, Defaults] = {p: {"memory": ("1GiB", "toy default")}
                                 for p in ("development", "production")}
CHANGES: ChangeTable = {TYPE: {"size": in_place("toy: resized in place"),
                               "region": replaces("toy: region is ForceNew")}}
STATEFUL = frozenset({TYPE})
NAME_ARGS: dict[str, str] = {}
IMPORT_IDS: dict[str, Any] = {}
RUNNING: dict[str, dict[str, str]] = {}
TLS_VALUES: tuple[object, ...] = (True, False)
PRODUCTION_SETTINGS: tuple[str, ...] = ()
COSTS: dict[str, pricing.Pricer] = {TYPE: pricing.free("toys are free")}
ARGUMENTS = {"memory": "`size`"}


def build(decl: Decl) -> list[Decl]:
    a = Args()
    a.put("size", decl.get("memory"))
    a.put("region", decl.given("region") or decl.ctx.provider_setting("aws", "region"))
    decl.ctx.add(Resource(decl.name, TYPE, a.values, {}, decl.origin.where, a.origins,
                          "session_store", decl.name))
    return []


def network_of(decl: Decl) -> Value | None:
    return None


def delivers(decl: Decl) -> bool:
    return False


def adopt(resources: Any, same_stack: bool) -> tuple[list[Any], dict[str, str]]:
    return [], {}
'''


def _package_with_toy(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(REPO / "mlinfra_compile", root / "mlinfra_compile",
                    ignore=shutil.ignore_patterns("__pycache__"))
    providers = root / "mlinfra_compile" / "providers"
    (providers / "toy_cache.py").write_text(TOY)
    init = providers / "__init__.py"
    text = init.read_text()
    entry = "MODULES: tuple[Service, ...] = ("
    assert text.count(entry) == 1
    init.write_text(text.replace(entry, f"from . import toy_cache  # noqa: E402\n\n{entry}"
                                        "toy_cache, "))
    (root / "environments").mkdir()
    return root


def _python(root, code):
    """Python in the copy (its folder first on sys.path, so the copy is imported, not the
    package the venv installs)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, "-c", "import sys; " + code], capture_output=True,
                          text=True, env=env, cwd=root, timeout=60, check=False)


def _run(root, *args):
    r = _python(root, "import mlinfra_compile, runpy; "
                      f"assert mlinfra_compile.__file__.startswith({str(root)!r}); "
                      f"sys.argv = ['mlinfra', '--root', {str(root)!r}, *{list(args)!r}]; "
                      "runpy.run_module('mlinfra_compile', run_name='__main__')")
    return r


def test_a_toy_service_needs_one_module_and_its_registry_entry(tmp_path):
    root = _package_with_toy(tmp_path)
    (root / "environments" / "dev.yaml").write_text(textwrap.dedent("""\
        profile: development
        providers: {aws: {region: us-east-1}}
        session_stores:
          toy: {service: toy-cache, memory: 2GiB}
        """))
    r = _run(root, "compile", "dev")
    assert r.returncode == 0, r.stderr
    [res] = json.loads(r.stdout)["resources"]
    assert (res["type"], res["args"]) == ("aws:toy/cache:Cache",
                                          {"size": "2GiB", "region": "us-east-1"})
    r = _run(root, "cost", "dev")
    assert r.returncode == 0 and "no charge: toys are free" in r.stdout, r.stderr
    r = _run(root, "plan", "dev")
    assert r.returncode == 0 and "aws:toy/cache:Cache" in r.stdout, r.stderr
    r = _run(root, "schema")
    enum = json.loads(r.stdout)["$defs"]["session_store"]["properties"]["service"]["enum"]
    assert "toy-cache" in enum
    # its INSTEAD, and another service's field, are lint errors at the key
    (root / "environments" / "dev.yaml").write_text(textwrap.dedent("""\
        profile: development
        providers: {aws: {region: us-east-1}}
        session_stores:
          toy: {service: toy-cache, tier: basic}
        """))
    r = _run(root, "lint")
    assert r.returncode == 1
    assert "tier is not supported by toy-cache: a toy cache has one tier [MLC307]" in r.stdout


def test_the_toys_change_table_reaches_diff(tmp_path):
    root = _package_with_toy(tmp_path)
    old = {"format": "mlinfra.graph/v1", "environment": "dev", "profile": "development",
           "outputs": {}, "resources": [{"name": "toy", "type": "aws:toy/cache:Cache",
                                         "args": {"size": "1GiB", "region": "us-east-1"},
                                         "options": {}, "source": "x:1:1"}]}
    code = textwrap.dedent(f"""\
        import json
        from mlinfra_compile.diff import diff_graphs
        old = json.loads({json.dumps(json.dumps(old))})
        new = json.loads(json.dumps(old))
        new["resources"][0]["args"] = {{"size": "2GiB", "region": "eu-west-1"}}
        d = diff_graphs(old, new, "t")
        print(json.dumps([[a.key, a.verdict] for c in d.changes for a in c.args]))
        """)
    r = _python(root, code)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == [["region", "replace"], ["size", "update"]]
