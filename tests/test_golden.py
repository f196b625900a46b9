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


def test_make_golden_shows_a_diff_and_writes_nothing_without_accept(capsys):
    """A planted regression plus `make golden` must not bless itself."""
    import tests.golden as golden

    case = golden.CASES / "ok-elasticache" / "expected" / "main.json"
    original = case.read_text()
    planted = original.replace('"cache.t4g.micro"', '"cache.t4g.nano"', 1)
    assert planted != original
    case.write_text(planted)
    try:
        assert golden.regenerate() == 1
        out = capsys.readouterr().out
        assert '-        "node_type": "cache.t4g.nano",' in out
        assert '+        "node_type": "cache.t4g.micro",' in out
        assert "1 golden file(s) would change; review the diff above" in out
        assert case.read_text() == planted  # nothing written without accept
        assert golden.regenerate(accept=True) == 0
        assert case.read_text() == original
    finally:
        case.write_text(original)


@pytest.mark.parametrize(("what", "path"), [
    ("docs", "docs/language.md"), ("schema", "schemas/environment.schema.json")])
def test_make_schema_and_docs_show_a_diff_and_write_nothing_without_accept(capsys, what,
                                                                           path):
    """A planted change to a generated file is shown, not silently overwritten."""
    from tests import generated
    from tests.golden import REPO

    target = REPO / path
    original = target.read_text(encoding="utf-8")
    target.write_text(original.replace("\n", "\nplanted line\n", 1), encoding="utf-8")
    try:
        assert generated.main([what]) == 1
        out = capsys.readouterr().out
        assert "-planted line" in out and f"make {what} ACCEPT=1" in out
        assert "planted line" in target.read_text(encoding="utf-8")  # nothing written
        assert generated.main([what, "--accept"]) == 0
        assert target.read_text(encoding="utf-8") == original
        assert generated.main([what]) == 0
    finally:
        target.write_text(original, encoding="utf-8")
