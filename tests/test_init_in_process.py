"""init.initialise, pin_values and project_name called in-process: what init reports it
wrote, kept and added (the CLI prints these lists), with a pin of the test's own; the
comment of the pin wrapped at 88 columns; the Pulumi project name a folder gives
(pulumi/pulumi sdk/go/common/tokens/project.go ValidateProjectName: 1..100 of letters,
digits, `-`, `_`, `.`)."""

from __future__ import annotations

import pytest

from mlinfra_compile import init as init_mod
from mlinfra_compile.init import Initialised, initialise, pin_values, project_name
from mlinfra_compile.pin import Pin

PIN = Pin("==1.2.3", True)  # (an index release: shared, nothing to tell)

# init's files in the order it writes them (sorted by path, code point order: `.` < upper
# case < lower case)
ALL = [".github/workflows/mlinfra.yml", ".gitignore", ".pre-commit-config.yaml",
       ".vscode/settings.json", "Makefile", "Pulumi.yaml", "environments/_base.yaml",
       "environments/dev.yaml", "environments/prod.yaml", "program/__main__.py",
       "requirements.txt", "schemas/environment.schema.json"]
IGNORED = [".venv/", ".pulumi-state/", ".mlinfra/", "__pycache__/"]


@pytest.fixture
def pinned(monkeypatch):
    monkeypatch.setattr("mlinfra_compile.pin.installed_pin", lambda: PIN)


def files_in(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_a_fresh_folder_gets_every_file(tmp_path, pinned):
    target = tmp_path / "team"
    assert initialise(str(target)) == Initialised(ALL, [], [], "")
    assert files_in(target) == ALL
    assert (target / "requirements.txt").read_text().splitlines()[-1] == \
        "mlinfra-compile[pulumi]==1.2.3"


def test_an_existing_gitignore_and_makefile_are_kept_and_the_rest_written(tmp_path, pinned):
    target = tmp_path / "team"
    target.mkdir()
    (target / ".gitignore").write_text("node_modules/\n.venv\n")
    (target / "Makefile").write_text("all:\n")
    done = initialise(str(target))
    assert done == Initialised([p for p in ALL if p not in (".gitignore", "Makefile")],
                               ["Makefile"], [".pulumi-state/", ".mlinfra/", "__pycache__/"],
                               "")
    assert (target / "Makefile").read_text() == "all:\n"
    assert (target / ".gitignore").read_text() == \
        "node_modules/\n.venv\n.pulumi-state/\n.mlinfra/\n__pycache__/\n"
    assert files_in(target) == ALL


def test_a_gitignore_with_every_line_is_kept(tmp_path, pinned):
    target = tmp_path / "team"
    target.mkdir()
    (target / ".gitignore").write_text("\n".join(reversed(IGNORED)) + "\n")
    done = initialise(str(target))
    assert done == Initialised([p for p in ALL if p != ".gitignore"], [".gitignore"], [], "")


def test_the_note_of_an_unshareable_pin_is_returned(tmp_path, monkeypatch):
    pin = Pin(" @ file:///src/mlinfra", False, "it names a path on this machine")
    monkeypatch.setattr("mlinfra_compile.pin.installed_pin", lambda: pin)
    done = initialise(str(tmp_path / "team"))
    assert (done.written, done.kept, done.added, done.note) == \
        (ALL, [], [], "it names a path on this machine")
    assert (tmp_path / "team" / "requirements.txt").read_text().splitlines()[-2:] == [
        "# it names a path on this machine", "mlinfra-compile[pulumi] @ file:///src/mlinfra"]


def test_a_value_the_templates_lack_stops_init_before_any_write(tmp_path, pinned,
                                                               monkeypatch):
    """A template placeholder init fills with nothing is an error, not an empty line
    written into the team's files (StrictUndefined)."""
    from jinja2.exceptions import UndefinedError

    def without_note(pin: Pin) -> dict[str, str]:
        return {"requirement": "mlinfra-compile[pulumi]==1.2.3",
                "core": "mlinfra-compile==1.2.3"}

    monkeypatch.setattr(init_mod, "pin_values", without_note)
    target = tmp_path / "team"
    with pytest.raises(UndefinedError, match="'pin_note' is undefined"):
        initialise(str(target))
    assert not target.exists()


def test_the_pin_note_is_wrapped_at_88_columns():
    # "# " and 85 letters are 87 columns; with " b" the line would be 89
    note = "a" * 85 + " b"
    assert pin_values(Pin("==1.0", True, note)) == {
        "requirement": "mlinfra-compile[pulumi]==1.0", "core": "mlinfra-compile==1.0",
        "pin_note": "# " + "a" * 85 + "\n# b"}
    # 86 columns and " b": 88, one line
    assert pin_values(Pin("==1.0", True, "a" * 84 + " b"))["pin_note"] == \
        "# " + "a" * 84 + " b"
    assert pin_values(Pin("==1.0", True))["pin_note"] == ""


@pytest.mark.parametrize(("folder", "expected"), [
    ("MyApp", "MyApp"),  # upper case is a letter Pulumi accepts
    ("Xylophone", "Xylophone"),
    ("x-Y_z.9", "x-Y_z.9"),
    ("my team!", "my-team"),  # a run of other characters is one `-`, stripped
    ("-.team.-", "team"),
    ("...", "mlinfra"),
    ("0num", "0num"),
    ("a" * 101, "a" * 100),  # cut to 100
    ("a" * 100, "a" * 100),
    ("a" * 99 + "-b", "a" * 99),  # cut, then the `-` it ends with stripped
])
def test_the_project_name_of_a_folder(tmp_path, folder, expected):
    assert project_name(str(tmp_path / folder)) == expected
