"""Every golden case compiles to exactly its reviewed expected output."""

from __future__ import annotations

import pytest

from tests.golden import all_cases, expected_outputs

CASES = all_cases()


@pytest.mark.parametrize(("root", "expected", "plans"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_golden(root, expected, plans):
    actual = expected_outputs(root, plans=plans)
    want = {p.name: p.read_text(encoding="utf-8") for p in expected.iterdir()}
    assert sorted(actual) == sorted(want), "run `make golden` and review the diff"
    for name in sorted(want):
        assert actual[name] == want[name], f"{name} differs; run `make golden` and review"


def test_negative_cases_are_plentiful_and_fail():
    negatives = [c for c in CASES if c[0].startswith("err-")]
    assert len(negatives) >= 30
    for name, _root, expected, _ in negatives:
        lint = (expected / "lint.txt").read_text()
        assert lint.endswith("exit: 1\n"), name
        assert "error:" in lint, name


def test_positive_cases_compile_clean():
    for name, _root, expected, _ in CASES:
        if name.startswith("ok-") or name == "shipped":
            assert (expected / "lint.txt").read_text() == "exit: 0\n", name
            assert any(p.suffix == ".json" for p in expected.iterdir()), name


def test_make_golden_shows_a_diff_and_writes_nothing_without_accept(capsys, monkeypatch,
                                                                     tmp_path):
    """A planted regression plus `make golden` must not bless itself. (The regression is
    planted in what the compiler outputs, not in the reviewed file: the suite runs in
    parallel, and other tests read that file.)"""
    import tests.golden as golden

    case = golden.CASES / "ok-elasticache" / "expected" / "main.json"
    original = case.read_text()
    compiled = golden.expected_outputs

    def regressed(root, **kw):
        out = compiled(root, **kw)
        if root == case.parent.parent:
            out["main.json"] = out["main.json"].replace('"cache.t4g.micro"',
                                                        '"cache.t4g.nano"', 1)
            assert out["main.json"] != original
        return out

    monkeypatch.setattr(golden, "expected_outputs", regressed)
    assert golden.regenerate() == 1
    out = capsys.readouterr().out
    assert '-        "node_type": "cache.t4g.micro",' in out
    assert '+        "node_type": "cache.t4g.nano",' in out
    assert "1 golden file(s) would change; review the diff above" in out
    assert case.read_text() == original  # nothing written without accept
    # with accept, each planned change is written (into a copy here)
    target = tmp_path / "expected" / "main.json"
    monkeypatch.setattr(golden, "planned_changes", lambda: {target: "new text\n"})
    monkeypatch.setattr(golden, "review", lambda changes: "")
    assert golden.regenerate(accept=True) == 0
    assert target.read_text() == "new text\n"
    assert case.read_text() == original


@pytest.mark.parametrize(("what", "path"), [
    ("docs", "docs/language.md"), ("schema", "schemas/environment.schema.json")])
def test_make_schema_and_docs_show_a_diff_and_write_nothing_without_accept(
        capsys, monkeypatch, tmp_path, what, path):
    """A planted change to a generated file is shown, not silently overwritten. (In a copy
    of the generated files: the suite runs in parallel, and other tests read them.)"""
    import shutil

    from tests import generated, golden
    from tests.golden import REPO

    for rel in ("docs/language.md", "schemas/environment.schema.json",
                "mlinfra_compile/sdk_arguments.json"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / rel, tmp_path / rel)
    monkeypatch.setattr(generated, "REPO", tmp_path)
    monkeypatch.setattr(golden, "REPO", tmp_path)  # (review names files relative to it)
    target = tmp_path / path
    original = target.read_text(encoding="utf-8")
    target.write_text(original.replace("\n", "\nplanted line\n", 1), encoding="utf-8")
    assert generated.main([what]) == 1
    out = capsys.readouterr().out
    assert "-planted line" in out and f"make {what} ACCEPT=1" in out
    assert f"--- a/{path}" in out
    assert "planted line" in target.read_text(encoding="utf-8")  # nothing written
    assert generated.main([what, "--accept"]) == 0
    assert target.read_text(encoding="utf-8") == original
    assert generated.main([what]) == 0
    assert (REPO / path).read_text(encoding="utf-8") == original
