"""The template mutator (tests/template_mutants.py): which mutants it makes of a template,
that a mutant is what the package renders while it is served, and that a run tells a
killed mutant from a survivor. The oracle is the mutants listed by hand here."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from tests.golden import REPO
from tests.template_mutants import mutants

SMALL = ('# {{ name | code }} ({{ "yes" if p == 1 else "no" }})\n'
         '{% if rows %}\n'
         '{% for r in rows if r.ok %}\n'
         '- {{ r }}\n'
         '{% endfor %}\n'
         '{% endif %}\n')


def test_each_operator_makes_its_mutants_and_none_that_does_not_parse():
    made = {m.id: m.changed for m in mutants("t.j2", SMALL)}
    assert made == {
        "template:t.j2:drop-line:1": "",
        "template:t.j2:empty-expr:1:1": '#  ({{ "yes" if p == 1 else "no" }})',
        "template:t.j2:drop-filter:1:1": '# {{ name }} ({{ "yes" if p == 1 else "no" }})',
        "template:t.j2:empty-expr:1:2": "# {{ name | code }} ()",
        "template:t.j2:negate:1:1": '# {{ name | code }} ({{ "yes" if not (p == 1) else "no" }})',
        "template:t.j2:compare:1:1": '# {{ name | code }} ({{ "yes" if p != 1 else "no" }})',
        "template:t.j2:string:1:1": '# {{ name | code }} ({{ "XXyesXX" if p == 1 else "no" }})',
        "template:t.j2:string:1:2": '# {{ name | code }} ({{ "yes" if p == 1 else "XXnoXX" }})',
        "template:t.j2:text:1": 'XX# {{ name | code }} ({{ "yes" if p == 1 else "no" }})',
        "template:t.j2:negate:2:1": "{% if not (rows) %}",
        "template:t.j2:negate:3:1": "{% for r in rows if not (r.ok) %}",
        "template:t.j2:drop-line:4": "",
        "template:t.j2:empty-expr:4:1": "- ",
        "template:t.j2:text:4": "XX- {{ r }}",
    }  # (deleting line 2, 3, 5 or 6 leaves a block unclosed: not made)


def test_a_pipe_inside_a_string_is_no_filter_and_a_line_without_tags_has_no_text_mutant():
    made = [m.id for m in mutants("t.j2", '{{ "a | b" }}\nplain | text\n')]
    assert made == ["template:t.j2:drop-line:1", "template:t.j2:empty-expr:1:1",
                    "template:t.j2:string:1:1", "template:t.j2:drop-line:2"]


def test_a_mutant_that_changes_nothing_is_not_made():
    # deleting either of two equal lines gives the same text: one mutant
    made = [m.id for m in mutants("t.j2", "a\na\n")]
    assert made == ["template:t.j2:drop-line:1"]


RUN = textwrap.dedent('''
    import json, sys
    from tests.template_mutants import Mutant, mutants, run
    made = {m.id: m for m in mutants("init-gitignore.j2")}
    todo = [made["template:init-gitignore.j2:drop-line:2"],
            made["template:init-gitignore.j2:drop-line:4"]]
    cov = {"rendered": {"init-gitignore.j2": [sys.argv[1]]}, "duration": {}}
    out = run(todo, cov, 1)
    out.update(run([Mutant("template:x.j2:drop-line:1", "x.j2", 1, "", "")], cov, 1))
    print(json.dumps(out, sort_keys=True))
''')

TEST = textwrap.dedent('''
    from jinja2 import Environment, PackageLoader

    def test_it():
        env = Environment(loader=PackageLoader("mlinfra_compile", "templates"))
        text = env.get_template("init-gitignore.j2").render()
        assert ".pulumi-state/" in text.splitlines()
''')


def test_a_run_serves_each_mutant_to_its_tests_and_reads_their_verdict(tmp_path):
    test = tmp_path / "test_gitignore.py"
    test.write_text(TEST, encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", RUN, f"{test}::test_it"], cwd=REPO,
                         capture_output=True, text=True, check=True, timeout=120).stdout
    assert json.loads(out) == {
        "template:init-gitignore.j2:drop-line:2": "killed",  # .pulumi-state/ gone
        "template:init-gitignore.j2:drop-line:4": "survived",  # __pycache__/: unchecked
        "template:x.j2:drop-line:1": "no tests",
    }
