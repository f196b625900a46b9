"""MLC407 (a name or import fixed in a partial that several stacks take as written) in a
partial that also removes a declaration it inherits (`aa: null`): the declarations after
the removed one are still read. Expected lines written out by hand from the files."""

from __future__ import annotations

from tests.golden import run_cli
from tests.test_repository import lines, write


def test_a_name_after_a_removed_declaration_in_a_partial_is_still_mlc407(tmp_path):
    root = write(tmp_path, {
        "_base.yaml": "providers:\n  aws: {region: us-east-1}\nqueues:\n  aa: {}\n",
        # lines: 1 extends, 2 queues, 3 aa (null removes _base's), 4 jobs, 5 name
        "_mid.yaml": "extends: _base\nqueues:\n  aa: null\n  jobs:\n    name: ml-jobs\n",
        "dev.yaml": "extends: _mid\n",
        "staging.yaml": "extends: _mid\n"})
    rc, out, _ = run_cli(root, "lint")
    assert rc == 1
    assert lines(out, "MLC407") == [
        "environments/_mid.yaml:5:5: error: queues.jobs.name: a physical name in a partial "
        "that stacks dev, staging take as written: each of them would claim the same cloud "
        "resource; write it in each environment's own file, or use a name_template with "
        "{{ env }} here [MLC407]"]
