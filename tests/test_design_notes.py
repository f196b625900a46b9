"""The repository carries its own design notes, docs/design.md (issue 26): comments cite
them or nothing. This test fails when a file of the repository cites a specification
that is not in it (the specification's old short name, or a path into a `shared` folder
outside the repository), when docs/design.md lacks one of its sections, and when a
citation `docs/design.md, <Section>` names a heading the notes do not have, so that
citations cannot rot."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.golden import REPO

DESIGN = REPO / "docs" / "design.md"
SECTIONS = ("Graph format", "Diagnostic codes", "Change safety", "Service contract")

# A document outside the repository, named the way the old comments named it (spelt in
# pieces here, so that this file does not cite it). Identifiers that only contain the
# letters (SPECIAL, UNSPECIFIED) are no citation: \b keeps them out.
WORD, SHARED = "SP" + "EC", ".." + "/shared"
OUTSIDE = (
    re.compile(rf"\b{WORD}\b"),
    re.compile(rf"\b{WORD}\.md\b", re.IGNORECASE),
    re.compile(rf"{re.escape(SHARED)}\b"),
    re.compile(rf"\bshared/{WORD}", re.IGNORECASE),
)
# Lines that name such a path on purpose, each exactly: a test that checks that the
# files `mlinfra init` writes do not point into the folder either.
ALLOWED = {
    "tests/test_team_repo.py":
        {f'assert "{SHARED}" not in path.read_text(encoding="utf-8"), path'},
}
# `docs/design.md, Change safety`: the section's heading, up to a bracket or punctuation.
CITATION = re.compile(r"docs/design\.md, ([A-Z][^()\[\].;:,`\"\n]*)")
WRAPPED = re.compile(r"docs/design\.md,[ \t]*(?:\n|$)", re.MULTILINE)
ANCHOR = re.compile(r"design\.md#([A-Za-z0-9_-]+)")


def _repository_files() -> list[str]:
    """Tracked files and untracked ones git does not ignore, by path from the root."""
    try:
        out = [subprocess.run(["git", "ls-files", "-z", *extra], cwd=REPO, check=True,
                              capture_output=True).stdout
               for extra in ([], ["--others", "--exclude-standard"])]
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git work tree: no list of the repository's files")
    names = {n.decode("utf-8") for chunk in out for n in chunk.split(b"\0") if n}
    return sorted(n for n in names if (REPO / n).is_file())


def _text_files() -> dict[str, str]:
    """path -> text of every file of the repository that is UTF-8 text (no NUL byte)."""
    texts = {}
    for name in _repository_files():
        raw = (REPO / name).read_bytes()
        if b"\0" in raw:
            continue
        try:
            texts[name] = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
    return texts


def _headings() -> list[str]:
    """The headings of docs/design.md (outside code blocks), without their `#`s."""
    out, fenced = [], False
    for line in DESIGN.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (m := re.match(r"#{1,4} (.+?)\s*$", line)):
            out.append(m.group(1))
    return out


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def test_no_file_cites_a_document_outside_the_repository() -> None:
    found = []
    for name, text in _text_files().items():
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip() in ALLOWED.get(name, set()):
                continue
            if any(p.search(line) for p in OUTSIDE):
                found.append(f"{name}:{number}: {line.strip()}")
    assert not found, ("cite docs/design.md (`docs/design.md, <Section>`) or nothing:\n"
                       + "\n".join(found))


def test_the_allowed_lines_still_exist() -> None:
    """An allowance for a line that is gone would let a new citation of the same text in."""
    texts = _text_files()
    for name, lines in ALLOWED.items():
        present = {line.strip() for line in texts.get(name, "").splitlines()}
        assert lines <= present, (name, lines - present)


def test_the_design_notes_have_their_sections() -> None:
    assert DESIGN.is_file(), "docs/design.md is missing"
    headings = _headings()
    missing = [s for s in SECTIONS if s not in headings]
    assert not missing, f"docs/design.md has no section {missing}; it has {headings}"


def test_every_citation_names_a_section_of_the_design_notes() -> None:
    headings = set(_headings())
    slugs = {_slug(h) for h in headings}
    bad = []
    cited = 0
    for name, text in _text_files().items():
        for m in CITATION.finditer(text):
            cited += 1
            section = m.group(1).strip()
            if section not in headings:
                line = text.count("\n", 0, m.start()) + 1
                bad.append(f"{name}:{line}: docs/design.md has no section {section!r}")
        for m in WRAPPED.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            bad.append(f"{name}:{line}: name the section on the citation's own line")
        for m in ANCHOR.finditer(text):
            if m.group(1) not in slugs:
                line = text.count("\n", 0, m.start()) + 1
                bad.append(f"{name}:{line}: docs/design.md has no heading #{m.group(1)}")
    assert not bad, "\n".join(bad) + f"\nsections: {sorted(headings)}"
    assert cited, "no comment cites docs/design.md: the citation pattern has drifted"


@pytest.mark.parametrize("line, cited", [
    ("# the graph (docs/design.md, Graph format): frozen values", "Graph format"),
    ("    # (docs/design.md, Change safety)", "Change safety"),
    ('"""Every subcommand (docs/design.md, Diagnostic codes).', "Diagnostic codes"),
    ("see docs/design.md, Service contract: what a module defines", "Service contract"),
])
def test_the_citation_pattern(line: str, cited: str) -> None:
    m = CITATION.search(line)
    assert m is not None and m.group(1).strip() == cited


@pytest.mark.parametrize("line, outside", [
    (f"({WORD} 9.2)", True),
    (f"# {WORD} section 4.", True),
    (f"read {SHARED}/{WORD}.md", True),
    (f"see {WORD.lower()}.md", True),
    ('SECRET if value.get(SIG) == SECRET_SIG else SPECIAL', False),
    ("TRANSIT_ENCRYPTION_MODE_UNSPECIFIED", False),
    ("spec = FIELDS[kind].get(key)", False),
])
def test_what_counts_as_a_citation_of_an_outside_document(line: str, outside: bool) -> None:
    assert any(p.search(line) for p in OUTSIDE) is outside


def test_the_slug_of_a_heading() -> None:
    assert _slug("Change safety") == "change-safety"
    assert _slug("Diagnostic codes (MLC1xx-MLC6xx)") == "diagnostic-codes-mlc1xx-mlc6xx"


def test_it_reads_the_whole_repository() -> None:
    names = set(_text_files())
    assert {"README.md", "mlinfra_compile/graph.py", "tests/test_design_notes.py"} <= names
    assert not any(n.startswith((".venv/", "mutants/")) for n in names)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(pytest.main([str(Path(__file__))]))
