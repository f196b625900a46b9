"""`lint FILE` compiles the other stacks of the folder that could claim what the linted
file claims (repository.add_related): those whose files, or the partials they extend,
fix a physical `name`, are read for the cross-stack checks only."""

from __future__ import annotations

import os
from pathlib import Path

from mlinfra_compile.commands import check_files
from mlinfra_compile.resolve import Workspace

AWS = "providers:\n  aws: {region: us-east-1}\n"


def _lint(tmp_path: Path, files: dict[str, str], linted: str) -> list[tuple]:
    folder = tmp_path / "environments"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    ws = Workspace(str(tmp_path))
    diags, n = check_files(ws, [os.path.abspath(folder / linted)])
    assert n == 1
    return [(d.file, d.line, d.column, d.code, d.path, d.message) for d in diags]


def test_a_sibling_taking_the_same_partial_name_is_read(tmp_path):
    # prod's own text fixes nothing: it is read because the partial it extends does
    files = {"_base.yaml": AWS + "queues:\n  jobs: {name: shared-jobs}\n",
             "dev.yaml": "extends: _base\n", "prod.yaml": "extends: _base\n"}
    assert _lint(tmp_path, files, "dev.yaml") == [
        ("environments/_base.yaml", 4, 3, "MLC406", "queues.jobs",
         "jobs (aws:sqs/queue:Queue) of stack dev takes the physical name 'shared-jobs' "
         "in us-east-1, and so does stack prod (environments/_base.yaml:4:3): one cloud "
         "resource belongs to one stack, else each deploy overwrites the other's settings "
         "and destroying one deletes the other's; give each environment its own `name` "
         "(or a name_template with {{ env }})"),
        ("environments/_base.yaml", 4, 10, "MLC407", "queues.jobs.name",
         "a physical name in a partial that stacks dev, prod take as written: each of "
         "them would claim the same cloud resource; write it in each environment's own "
         "file, or use a name_template with {{ env }} here")]



def test_a_stack_that_extends_the_linted_stack_is_read(tmp_path):
    # beta fixes nothing of its own and extends a stack, not a partial: alpha's `name` is
    # beta's too, so `lint alpha.yaml` must read beta (it did not: only the other files
    # that fix a name, and what extends those, were read)
    files = {"alpha.yaml": AWS + "queues:\n  own: {name: own-q}\n",
             "beta.yaml": "extends: alpha\n"}
    assert _lint(tmp_path, files, "alpha.yaml") == [
        ("environments/alpha.yaml", 4, 3, "MLC406", "queues.own",
         "own (aws:sqs/queue:Queue) of stack alpha takes the physical name 'own-q' in "
         "us-east-1, and so does stack beta (environments/alpha.yaml:4:3): one cloud "
         "resource belongs to one stack, else each deploy overwrites the other's settings "
         "and destroying one deletes the other's; give each environment its own `name` "
         "(or a name_template with {{ env }})")]
