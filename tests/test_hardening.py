"""Every input validated, every output escaped, nothing silently dropped: regression tests
for the classes of bug a new user and an attacker found."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from mlinfra_compile.fastschema import FastValidator
from mlinfra_compile.schema import build_schema
from tests.golden import REPO, run_cli, safe_id, schema_nodes

SCHEMA = build_schema()
PUBLISHED = json.loads((REPO / "schemas" / "environment.schema.json").read_text())


def write(root, text: str, name: str = "main.yaml") -> None:
    (root / "environments").mkdir(exist_ok=True)
    (root / "environments" / name).write_text(text)


# --- 1. patterns match the whole value -------------------------------------------------

# One document per pattern-bearing field, each value valid but for a trailing newline.
NEWLINE_CORPUS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    (("providers", "gcp", "project"), {"providers": {"gcp": {"project": "acme-ml-test\n"}}}),
    (("providers", "gcp", "region"), {"providers": {"gcp": {"region": "us-central1\n"}}}),
    (("providers", "gcp", "project_number"),
     {"providers": {"gcp": {"project_number": "123456789012\n"}}}),
    (("providers", "aws", "region"), {"providers": {"aws": {"region": "us-east-1\n"}}}),
    (("session_stores", "cache\n"), {"session_stores": {"cache\n": {}}}),
    (("queues", "jobs\n"), {"queues": {"jobs\n": {}}}),
    (("session_stores", "cache", "memory"), {"session_stores": {"cache": {"memory": "1GiB\n"}}}),
    (("session_stores", "cache", "node_type"),
     {"session_stores": {"cache": {"node_type": "cache.r7g.large\n"}}}),
    (("session_stores", "cache", "zone"),
     {"session_stores": {"cache": {"zone": "us-central1-a\n"}}}),
    (("session_stores", "cache", "user_group"),
     {"session_stores": {"cache": {"user_group": "ml-users\n"}}}),
    (("session_stores", "cache", "previous_names", 0),
     {"session_stores": {"cache": {"previous_names": ["old\n"]}}}),
    (("queues", "jobs", "delay"), {"queues": {"jobs": {"delay": "90s\n"}}}),
    (("queues", "jobs", "max_message_size"), {"queues": {"jobs": {"max_message_size": "1KiB\n"}}}),
    (("queues", "jobs", "expiry"), {"queues": {"jobs": {"expiry": "never\n"}}}),
    (("queues", "jobs", "encryption"), {"queues": {"jobs": {"encryption": "kms:alias/x\n"}}}),
    (("queues", "jobs", "subscriptions", "a\n"),
     {"queues": {"jobs": {"subscriptions": {"a\n": {}}}}}),
    (("providers", "gcp", "network"), {"providers": {"gcp": {"network": "ml\n"}}}),
    (("providers", "aws", "subnet_ids", 0),
     {"providers": {"aws": {"subnet_ids": ["subnet-0a1b2c3d\n"]}}}),
    (("providers", "aws", "vpc_id"), {"providers": {"aws": {"vpc_id": "vpc-0123abcd\n"}}}),
    (("session_stores", "cache", "network", "allow_from", 0),
     {"session_stores": {"cache": {"network": {"allow_from": ["10.0.0.0/16\n"]}}}}),
    (("session_stores", "cache", "network", "security_group_ids", 0),
     {"session_stores": {"cache": {"network": {"security_group_ids": ["sg-0123abcd\n"]}}}}),
    (("session_stores", "cache", "maintenance", "start"),
     {"session_stores": {"cache": {"maintenance": {"day": "sunday", "start": "03:00\n"}}}}),
    (("waivers", 0, "resource"),
     {"waivers": [{"rule": "MLC501", "resource": "cache\n", "reason": "a good reason"}]}),
    (("queues", "jobs", "name"), {"queues": {"jobs": {"name": "jobs\n"}}}),
    (("queues", "jobs", "import", "jobs-dlq\n"),
     {"queues": {"jobs": {"import": {"jobs-dlq\n": "x"}}}}),
    (("queues", "jobs", "access", "publishers", 0),
     {"queues": {"jobs": {"access": {"publishers": ["user:a@b.com\n"]}}}}),
    (("exports", "url\n"), {"exports": {"url\n": "jobs.url"}}),
    (("exports", "url"), {"exports": {"url": "jobs.url\n"}}),
]


def _paths(validator: Any, doc: dict[str, Any]) -> set[tuple[Any, ...]]:
    out = set()
    for e in validator.iter_errors(doc):
        path = tuple(e.absolute_path)
        if "propertyNames" in list(e.schema_path):
            path = (*path, e.instance)
        out.add(path)
    return out


@pytest.mark.parametrize(("path", "doc"), NEWLINE_CORPUS, ids=safe_id)
def test_a_trailing_newline_fails_every_pattern_in_both_validators(path, doc):
    for validator in (FastValidator(SCHEMA), Draft202012Validator(PUBLISHED)):
        assert path in _paths(validator, doc), validator
        # and the same value without the newline passes
        clean = json.loads(json.dumps(doc).replace("\\n", ""))
        assert _paths(validator, clean) == set(), (validator, clean)


def test_the_corpus_covers_every_pattern_of_the_schema():
    patterns = {n["pattern"] for n in schema_nodes(SCHEMA) if isinstance(n.get("pattern"), str)}
    assert all(p.endswith("$(?!\\n)") for p in patterns), patterns
    # every pattern of the schema is one that a corpus document breaks
    broken = {e.schema["pattern"] for _, doc in NEWLINE_CORPUS
              for e in Draft202012Validator(SCHEMA).iter_errors(doc) if e.validator == "pattern"}
    assert broken == patterns, patterns - broken


def test_newlines_never_reach_the_graph(tmp_path):
    write(tmp_path, 'providers:\n  gcp: {project: "acme-ml-test\\n", region: "us-central1"}\n'
                    'session_stores:\n  "cache\\n": {}\n')
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1
    assert "providers.gcp.project" in out and "[MLC205]" in out
    assert "session_stores.cache\\n" in out or "'cache\\n'" in out
    write(tmp_path, 'providers:\n  gcp: {project: acme-ml-test, region: us-central1}\n'
                    'labels: {team: "ml\\n"}\nsession_stores:\n  cache: {}\n')
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1 and "GCP label value 'ml\\n'" in out


def test_aws_tags_with_control_characters_are_refused(tmp_path):
    write(tmp_path, 'providers:\n  aws: {region: us-east-1}\nlabels: {team: "a\\u001b[2Jb"}\n'
                    'queues:\n  jobs: {}\n')
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1 and "AWS tags hold letters, digits, spaces" in out and "[MLC308]" in out


def test_new_refuses_a_name_with_a_newline(tmp_path):
    (tmp_path / "environments").mkdir()
    rc, _, err = run_cli(tmp_path, "new", "qa\n")
    assert rc == 2, err
    assert list((tmp_path / "environments").iterdir()) == []


def test_units_parse_only_whole_values():
    from mlinfra_compile.units import parse_duration, parse_size

    assert parse_duration("90s") == 90 and parse_duration("90s\n") is None
    assert parse_size("1GiB") == 2**30 and parse_size("1GiB\n") is None


# --- 2. a declaration without a body -----------------------------------------------------

def test_a_declaration_without_a_body_is_an_error_not_nothing(tmp_path):
    write(tmp_path, "providers:\n  gcp: {project: acme-ml-test, region: us-central1}\n"
                    "queues:\n  ml-training:\nsession_stores:\n  cache:\n")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1
    assert "environments/main.yaml:4:3: error: queues.ml-training: 'ml-training' has no " \
           "body, so it declares nothing" in out
    assert "write `cache: {}` for a session store with every default [MLC315]" in out
    write(tmp_path, "providers:\n  gcp: {project: acme-ml-test, region: us-central1}\n"
                    "queues:\n  ml-training: {subscriptions: {a: }}\n")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1 and "`a: {}` for a subscription" in out


def test_null_still_removes_an_inherited_declaration(tmp_path):
    write(tmp_path, "providers:\n  gcp: {project: acme-ml-test, region: us-central1}\n"
                    "queues:\n  jobs: {}\n  other: {}\n", "_base.yaml")
    write(tmp_path, "extends: _base\nqueues:\n  other:\n")
    rc, out, err = run_cli(tmp_path, "plan", "main")
    assert rc == 0, err
    assert "jobs  gcp:pubsub/topic:Topic" in out and "other" not in out


# --- 3. dead letters in production, with or without a subscriptions map ----------------

@pytest.mark.parametrize("queue", ["{dead_letter: false}",
                                   "{dead_letter: false, subscriptions: {a: {}}}"])
def test_production_pubsub_queue_without_dead_letters_is_mlc505(tmp_path, queue):
    write(tmp_path, "profile: production\nproviders:\n  gcp: {project: acme-ml-test, "
                    "region: us-central1, project_number: '123456789012'}\n"
                    f"queues:\n  ml-training: {queue}\n")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1 and "[MLC505]" in out


# --- 6. units and enums in the user's words --------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("memory: 1GB", "units are binary, GiB not GB (did you mean '1GiB'?) [MLC207]"),
    ("memory: 512 mb", "(did you mean '512MiB'?)"),
    ("tier: STANDARD_HA", "(did you mean 'standard_ha'?) [MLC203]"),
    ("tier: Standard-HA", "(did you mean 'standard_ha'?)"),
])
def test_store_fields_say_what_was_meant(tmp_path, text, expected):
    write(tmp_path, "providers:\n  gcp: {project: acme-ml-test, region: us-central1}\n"
                    f"session_stores:\n  cache:\n    {text}\n")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1 and expected in out, out


@pytest.mark.parametrize(("text", "expected"), [
    ("1 day", "1d"), ("1h 30m", "1h30m"), ("90 seconds", "90s"), ("30m 1h", "1h30m"),
    ("2 days, 12 hours", "2d12h"),
])
def test_durations_in_words_get_a_suggestion(tmp_path, text, expected):
    write(tmp_path, "providers:\n  gcp: {project: acme-ml-test, region: us-central1}\n"
                    f"queues:\n  jobs:\n    retention: {text}\n")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1 and f"(did you mean '{expected}'?)" in out, out


def test_no_suggestion_when_there_is_no_obvious_reading():
    from mlinfra_compile.units import suggest_duration, suggest_size

    assert suggest_size("lots") is None and suggest_size("1 parsec") is None
    assert suggest_duration("1d 1d") is None and suggest_duration("soon") is None


# --- 7..10. resource bombs and hangs ------------------------------------------------------

BOMB = '{{name|replace("",name)|replace("",name)|replace("",name)|replace("",name)|' \
       'replace("",name)}}'


@pytest.mark.parametrize(("template", "message"), [
    (BOMB, "filter 'replace' would build a value longer than 512 characters"),
    ("{{" + "(" * 95 + "name" + ")" * 95 + "}}", "brackets are nested 95 deep; the limit is 8"),
    ("{{ name }}" + "x" * 600, "is 610 characters, longer than the maximum of 200"),
    ("{{ name|replace('a', 'b' ~ 'c' * 3) }}", "arithmetic is not allowed"),
])
def test_name_template_bombs_are_diagnostics(tmp_path, template, message):
    import tracemalloc

    write(tmp_path, "providers: {gcp: {project: acme-ml-test, region: us-central1}}\n"
                    f"name_template: {json.dumps(template)}\nsession_stores:\n  cache: {{}}\n")
    tracemalloc.start()
    rc, out, err = run_cli(tmp_path, "lint")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert rc == 1, err
    assert message in out and ("[MLC309]" in out or "[MLC204]" in out)
    assert peak < 64 * 2**20


def test_ordinary_templates_still_render(tmp_path):
    write(tmp_path, "providers: {gcp: {project: acme-ml-test, region: us-central1}}\n"
                    "name_template: \"{{ env }}-{{ (name|replace('a', 'b'))|truncate(20, "
                    "True, '') }}\"\nsession_stores:\n  cache: {}\n")
    rc, out, err = run_cli(tmp_path, "plan", "main")
    assert rc == 0, err
    assert '"main-cbche"' in out


def _chain(root, depth: int) -> None:
    write(root, "providers: {gcp: {project: acme-ml-test, region: us-central1}}\n", "_e0.yaml")
    for i in range(1, depth):
        write(root, f"extends: _e{i - 1}\n", f"_e{i}.yaml")
    write(root, f"extends: _e{depth - 1}\nqueues:\n  jobs: {{}}\n")


def test_extends_chains_stop_at_32_with_a_diagnostic(tmp_path):
    _chain(tmp_path, 32)
    rc, out, err = run_cli(tmp_path, "lint", str(tmp_path / "environments" / "main.yaml"))
    assert rc == 0, out + err
    _chain(tmp_path, 33)
    rc, out, _ = run_cli(tmp_path, "lint", str(tmp_path / "environments" / "main.yaml"))
    assert rc == 1
    assert "environments/main.yaml:1:1: error: extends: the extends chain is longer than " \
           "32 files (main --> _e32 --> _e31 --> ... --> _e0); flatten it [MLC316]" in out


def test_a_long_chain_is_read_once_per_file(tmp_path, monkeypatch):
    """Linear work: each of 300 files is parsed once, however many chains include it."""
    from mlinfra_compile import workspace

    _chain(tmp_path, 300)
    reads: list[str] = []
    real = workspace.read_file
    monkeypatch.setattr(workspace, "read_file", lambda p, d: reads.append(p) or real(p, d))
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1 and out.count("[MLC316]") == 300 - 32
    assert len(reads) == len(set(reads)) == 301


def test_a_fifo_is_refused_not_waited_on(tmp_path):
    import os

    write(tmp_path, "providers: {gcp: {project: acme-ml-test, region: us-central1}}\n")
    os.mkfifo(tmp_path / "environments" / "stuck.yaml")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1
    assert "environments/stuck.yaml:1:1: error: not a regular file (a FIFO, socket or " \
           "device); environment files are plain files [MLC114]" in out


def test_one_internal_error_never_hides_the_other_files(tmp_path, monkeypatch):
    import mlinfra_compile.commands as commands

    write(tmp_path, "providers: {gcp: {project: acme-ml-test, region: us-central1}}\n"
                    "queues:\n  jobs: {delay: 5s}\n", "a.yaml")
    write(tmp_path, "profile: nope\n", "b.yaml")
    write(tmp_path, "queues: {}\n", "crash.yaml")
    real = commands.compile_environment

    def flaky(ws, path):
        if path.endswith("crash.yaml"):
            raise KeyError("boom")
        return real(ws, path)

    monkeypatch.setattr(commands, "compile_environment", flaky)
    rc, out, _ = run_cli(tmp_path, "lint", "--format", "github")
    assert rc == 70
    assert "file=environments/a.yaml" in out and "file=environments/b.yaml" in out
    assert "file=environments/crash.yaml" in out and "MLC900" in out


# --- 12, 13. nothing a terminal or a CI runner would interpret ----------------------------

HOSTILE_REASON = "ok\x1b[2J\x1b]0;pwned\x07\u202e\r\n::add-mask::secret"


def _no_control(text: str) -> None:
    import re

    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text), \
        repr(text)
    assert not any(line.lstrip().startswith("::") for line in text.splitlines()), text


def test_a_waiver_reason_reaches_plan_inert(tmp_path):
    write(tmp_path, "profile: production\nproviders:\n  gcp: {project: acme-ml-test, "
                    "region: us-central1, network: ml}\nsession_stores:\n  cache: {tier: basic}\n"
                    f"waivers:\n  - {{rule: MLC501, resource: cache, "
                    f"reason: {json.dumps(HOSTILE_REASON)}}}\n")
    for args in (("plan", "main"), ("explain", "main", "session_stores.cache.tier"),
                 ("lint",), ("compile", "main")):
        _, out, err = run_cli(tmp_path, *args)
        _no_control(out + err)
    _, out, _ = run_cli(tmp_path, "plan", "main")
    assert "\\e[2J" in out and "\\n::add-mask::" in out  # shown, not obeyed


def test_file_names_cannot_start_a_workflow_command(tmp_path):
    write(tmp_path, "profile: nope\n", "a\n::add-mask::x.yaml")
    write(tmp_path, "profile: nope\n", "\x1b[31mred.yaml")
    for fmt in ("text", "github", "json"):
        rc, out, err = run_cli(tmp_path, "lint", "--format", fmt)
        assert rc == 1
        lines = (out + err).splitlines()
        if fmt == "github":
            assert all(line.startswith("::error ") for line in lines if line.startswith("::"))
            assert "%0A" in out and "::add-mask::" not in out.replace("%0A::add-mask", "")
            lines = [line for line in lines if not line.startswith("::error ")]
        _no_control("\n".join(lines))


def test_usage_errors_show_the_users_text_inert(tmp_path):
    write(tmp_path, "profile: development\n")
    rc, _, err = run_cli(tmp_path, "plan", "x\x1b[2J\n::warning::y")
    assert rc == 2
    _no_control(err)


def test_the_shipped_workflow_never_expands_expressions_in_a_shell():
    import yaml

    doc = yaml.safe_load((REPO / "docs" / "github-actions.yml").read_text())
    runs = [step["run"] for job in doc["jobs"].values() for step in job["steps"]
            if "run" in step]
    assert runs and not any("${{" in run for run in runs)


# --- 16. make runs no text from ENV ---------------------------------------------------

@pytest.mark.parametrize("template", ["dev; touch {p}", "$(shell touch {p})", "`touch {p}`",
                                      "dev' ; touch '{p}", "$$(touch {p})", "-x; touch {p}"])
def test_make_runs_nothing_from_env(tmp_path, template):
    import subprocess

    # make test runs this: make and the repository's .venv are there (else it fails)
    marker = tmp_path / "PWNED"
    for target in ("plan", "compile"):
        proc = subprocess.run(["make", "-s", "-C", str(REPO), target,
                               "ENV=" + template.format(p=marker)],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode != 0
        assert "ENV must be an environment's name" in proc.stderr
        assert not marker.exists()


# --- 11. pull-request comments render no HTML of the user's ----------------------------

PAYLOAD = "</details><h2>no changes, safe to merge</h2><img src=x onerror=alert(1)>" \
          "`|**bold**|[link](https://evil.example)<!--"
ALLOWED_TAGS = {"h3", "p", "code", "table", "thead", "tbody", "tr", "th", "td", "details",
                "summary", "strong", "blockquote", "ul", "li"}


def _render(markdown: str) -> str:
    import cmarkgfm
    from cmarkgfm.cmark import Options

    # GitHub passes raw HTML through its sanitiser: render it unsafely, as the worst case.
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


def _tags(html: str) -> list[str]:
    import re

    return re.findall(r"<\s*/?\s*([A-Za-z][A-Za-z0-9]*)", html)


def _hostile_repo(tmp_path):
    from tests.golden import git

    write(tmp_path, "profile: production\nproviders:\n  aws: {region: us-east-1, "
                    "subnet_ids: [subnet-0a1b2c3d]}\nsession_stores:\n  cache: {tier: basic, "
                    f"description: {json.dumps(PAYLOAD[:200])}}}\n"
                    "queues:\n  jobs: {}\n"
                    f"waivers:\n  - {{rule: MLC501, resource: cache, "
                    f"reason: {json.dumps(PAYLOAD)}}}\n", "prod.yaml")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    text = (tmp_path / "environments" / "prod.yaml").read_text()
    (tmp_path / "environments" / "prod.yaml").write_text(
        text.replace("tier: basic", "tier: standard_ha").replace("queues:\n  jobs: {}\n", "")
        .replace("onerror=", "onerror =", 1))
    return tmp_path


@pytest.mark.parametrize("command", [("plan", "prod"), ("diff", "prod")])
def test_markdown_comments_render_no_user_html(tmp_path, command):
    root = _hostile_repo(tmp_path)
    rc, out, err = run_cli(root, *command, "--format", "markdown")
    assert rc in (0, 3) and "onerror" in out, err  # the payload is there, as text
    html = _render(out)
    tags = _tags(html)
    assert set(tags) <= ALLOWED_TAGS, sorted(set(tags) - ALLOWED_TAGS)
    assert "evil.example" in html and "href" not in html
    assert tags.count("details") % 2 == 0
    assert "&lt;/details&gt;" in html and "<h2>" not in html and "<img" not in html


def test_code_spans_hold_any_backticks():
    from mlinfra_compile.markdown import code

    for value in ("a`b", "``", "`x`", "a|b", " lead", "x\ny"):
        html = _render(f"| h |\n|---|\n| {code(value)} |\n")
        assert html.count("<code>") == 1, (value, html)
        assert "\n" not in code(value)


# --- 18. odd Pulumi output and a reader that goes away ---------------------------------

ODD_OUTPUTS = {
    "invalid-utf8": b'{"a": "\xff\xfe"}',
    "deep": b"[" * 100_000 + b"]" * 100_000,
    "not-an-object": b"[1, 2]",
    "graph-wrong-shape": json.dumps({"_mlinfra_graph": json.dumps(
        {"resources": [{"name": 1}]})}).encode(),
    "graph-deep": json.dumps({"_mlinfra_graph": "[" * 100_000}).encode(),
    "running-wrong-shape": json.dumps({"_mlinfra_graph": json.dumps(
        {"resources": []}), "_mlinfra_running": [1]}).encode(),
}


@pytest.mark.parametrize("case", sorted(ODD_OUTPUTS))
def test_odd_pulumi_output_exits_4_with_a_message(tmp_path, monkeypatch, case):
    import os
    import shutil
    import stat
    import sys

    data = tmp_path / "out.bin"
    data.write_bytes(ODD_OUTPUTS[case])
    bindir = tmp_path / "bin"
    bindir.mkdir()
    exe = bindir / "pulumi"
    exe.write_text(f"#!{sys.executable}\nimport sys\n"
                   "if sys.argv[1:3] == ['stack', 'output']:\n"
                   f"    sys.stdout.buffer.write(open({str(data)!r}, 'rb').read())\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    root = tmp_path / "repo"
    shutil.copytree(REPO / "environments", root / "environments")
    (root / "Pulumi.yaml").write_text((REPO / "Pulumi.yaml").read_text())
    commands = [("deploy", "dev", "--yes")]
    if not case.startswith(("graph", "running")):
        commands.append(("outputs", "dev"))
    for args in commands:
        rc, _, err = run_cli(root, *args)
        assert rc == 4, (args, err)
        assert "mlinfra: error: `pulumi stack output" in err and "Traceback" not in err


@pytest.mark.parametrize("unbuffered", ["1", ""])
@pytest.mark.parametrize("args", [("plan", "prod"), ("compile", "prod"), ("graph", "prod")])
def test_a_closed_pipe_ends_quietly(args, unbuffered):
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONUNBUFFERED": unbuffered}
    proc = subprocess.Popen([sys.executable, "-m", "mlinfra_compile", "--root", str(REPO),
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    proc.stdout.close()  # `| head -0`: the reader is gone before the first write
    err = proc.stderr.read()
    assert proc.wait() == 141 and err == b""


# --- 17. -o writes where it is pointed, as it is ---------------------------------------

def test_output_to_a_device_writes_to_it(tmp_path):
    import os
    import stat

    if os.environ.get("MUTANT_UNDER_TEST"):
        # (a mutant of the device check would replace the machine's /dev/null with a
        # regular file, as one did on 2026-12-07, breaking every later run on it)
        pytest.skip("writes through the real /dev/null: not under mutation")
    rc, _, err = run_cli(REPO, "compile", "prod", "-o", os.devnull)
    assert rc == 0, err
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_output_to_a_fifo_writes_to_it(tmp_path):
    import os
    import threading

    fifo = tmp_path / "graph.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    rc, _, err = run_cli(REPO, "compile", "prod", "-o", str(fifo))
    reader.join(timeout=30)
    assert rc == 0, err
    assert json.loads(got[0])["environment"] == "prod"
    assert fifo.is_fifo()


def test_output_through_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    rc, _, _ = run_cli(REPO, "compile", "prod", "-o", str(link))
    assert rc == 0 and link.is_symlink()
    assert json.loads(target.read_text())["environment"] == "prod"


def test_output_modes_follow_the_file_or_the_umask(tmp_path):
    import os

    existing = tmp_path / "kept.json"
    existing.write_text("old")
    existing.chmod(0o640)
    rc, _, _ = run_cli(REPO, "compile", "prod", "-o", str(existing))
    assert rc == 0 and (existing.stat().st_mode & 0o777) == 0o640
    old = os.umask(0o027)
    try:
        rc, _, _ = run_cli(REPO, "compile", "prod", "-o", str(tmp_path / "new.json"))
    finally:
        os.umask(old)
    assert rc == 0 and ((tmp_path / "new.json").stat().st_mode & 0o777) == 0o640
    assert not list(tmp_path.glob(".mlinfra-*"))


# --- 5. YAML mistakes in the user's words, at the line that is wrong -------------------

@pytest.mark.parametrize(("text", "where", "message"), [
    ("queues:\n  jobs\n    delay: 90s\n", "2:7",
     "`jobs` has no colon: write `jobs:` to hold the keys indented below it"),
    ("queues:\n  jobs:\n    delay: 90s\n     retention: 1d\n", "4:1",
     "this line is indented more than `delay` above it"),
    ("queues:\n  jobs:\n    delay: 90s\n   retention: 1d\n", "4:1",
     "this line is indented 3 spaces, which lines up with no key above it (keys above are "
     "at 0, 2, 4)"),
    ("queues:\n\tjobs: {}\n", "2:1", "a tab here: YAML indents with spaces only"),
    ("queues:\n  jobs:\n    description: a: b\n", "3:18",
     'the value of `description` holds `: `, which starts a mapping: quote the value, '
     'e.g. description: "a: b"'),
    ("labels:\n  team: \"ml\n", "2:9", "this quoted string is never closed"),
    ("labels: {team: ml\nqueues: {}\n", "1:9", "this `{` or `[` is not closed (or a `,` is "
                                              "missing) before line 2"),
])
def test_yaml_mistakes_are_named(tmp_path, text, where, message):
    write(tmp_path, text)
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1
    assert f"environments/main.yaml:{where}: error: YAML syntax error: {message}" in out, out
    assert "mapping values are not allowed" not in out


# --- 4. regions the services offer -----------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("providers:\n  gcp: {project: acme-ml-test, region: us-centrall1}\nqueues:\n  jobs: {}\n",
     "environments/main.yaml:2:32: error: providers.gcp.region: 'us-centrall1' is not a "
     "Google Cloud region (did you mean 'us-central1'?)"),
    ("providers:\n  aws: {region: us-east-9}\nqueues:\n  jobs: {}\n",
     "environments/main.yaml:2:9: error: providers.aws.region: 'us-east-9' is not an AWS "
     "region (did you mean 'us-east-2'?)"),
    ("providers:\n  aws: {region: us-east-1}\nqueues:\n  jobs: {region: eu-wset-1}\n",
     "error: queues.jobs.region: 'eu-wset-1' is not an AWS region (did you mean "
     "'eu-west-1'?)"),
    # two letters exchanged: the region with them the right way round, not difflib's
    # nearest by ratio (us-west-1)
    ("providers:\n  aws: {region: us-esat-1}\nqueues:\n  jobs: {}\n",
     "environments/main.yaml:2:9: error: providers.aws.region: 'us-esat-1' is not an AWS "
     "region (did you mean 'us-east-1'?)"),
    # exchanged but not neighbours: difflib's answer
    ("providers:\n  aws: {region: us-tase-1}\nqueues:\n  jobs: {}\n",
     "environments/main.yaml:2:9: error: providers.aws.region: 'us-tase-1' is not an AWS "
     "region (did you mean 'us-east-1'?)"),
    ("providers:\n  aws: {region: us-east-1}\nsession_stores:\n  cc: {region: ap-southeast-9}\n",
     "error: session_stores.cc.region: 'ap-southeast-9' is not an AWS region"),
    ("providers:\n  gcp: {project: acme-ml-test, region: us-central1}\nsession_stores:\n"
     "  cc: {region: europe-wset1}\n",
     "error: session_stores.cc.region: 'europe-wset1' is not a Google Cloud region (did you "
     "mean 'europe-west1'?)"),
])
def test_typos_in_regions_are_errors_with_the_nearest_region(tmp_path, text, expected):
    write(tmp_path, text)
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1 and expected in out and "[MLC317]" in out, out
    assert out.count("[MLC317]") == 1


def test_a_region_the_memorystore_list_lacks_is_a_warning(tmp_path):
    write(tmp_path, "providers:\n  gcp: {project: acme-ml-test, region: europe-north2}\n"
                    "session_stores:\n  aa: {}\n  bb: {}\nqueues:\n  jobs: {}\n")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 0
    assert "warning: providers.gcp.region: Memorystore for Redis is not listed in " \
           "europe-north2" in out and out.count("[MLC318]") == 1  # once, not per store


def test_extra_regions_admit_a_region_opened_since(tmp_path, monkeypatch):
    write(tmp_path, "providers:\n  aws: {region: xx-newplace-1}\nqueues:\n  jobs: {}\n")
    rc, _, _ = run_cli(tmp_path, "lint")
    assert rc == 1
    monkeypatch.setenv("MLINFRA_EXTRA_REGIONS", "yy-other-2, xx-newplace-1")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 0, out


def test_the_region_tables_hold_what_the_providers_list():
    """An independent oracle, hand-copied from the sources (see regions.py)."""
    from mlinfra_compile import regions

    for r in ("us-central1", "europe-west1", "asia-southeast3", "africa-south1",
              "northamerica-south1", "me-central2"):
        assert r in regions.GCP_REGIONS
    for r in ("us-east-1", "us-gov-west-1", "cn-north-1", "mx-central-1", "ap-southeast-7",
              "il-central-1", "ca-west-1"):
        assert r in regions.AWS_REGIONS
    for r in ("us-central9", "us-centrall1", "fips-us-east-1", "us-east-1-fips", "global"):
        assert r not in regions.GCP_REGIONS + regions.AWS_REGIONS
    # restricted regions the Cloud Billing catalogue prices Memorystore in (doitintl
    # memorystore-pricing.json at 0133443a): accepted, with a warning for Memorystore
    for r in ("us-central2", "us-east7", "us-west8"):
        assert r in regions.GCP_REGIONS and r not in regions.MEMORYSTORE_REGIONS
    assert set(regions.MEMORYSTORE_REGIONS) < set(regions.GCP_REGIONS)
    assert "europe-north2" not in regions.MEMORYSTORE_REGIONS


# --- done when: one repository with every example lints in one run ----------------------

def test_a_repository_of_every_example_gets_a_diagnostic_for_each(tmp_path):
    import os
    import subprocess
    import sys

    gcp = "providers:\n  gcp: {project: acme-ml-test, region: us-central1}\n"
    LONG = '"' + "a" * 600_000 + '"'
    files = {
        "newline.yaml": 'providers:\n  gcp: {project: "acme-ml-test\\n"}\n',
        "empty.yaml": gcp + "queues:\n  ml-training:\nsession_stores:\n  cache:\n",
        "deadletter.yaml": "profile: production\nproviders:\n  gcp: {project: acme-ml-test, "
                           "region: us-central1, project_number: '123456789012'}\n"
                           "queues:\n  ml-training: {dead_letter: false}\n",
        "gcpregion.yaml": "providers:\n  gcp: {project: acme-ml-test, region: us-centrall1}\n"
                          "queues:\n  jobs: {}\n",
        "awsregion.yaml": "providers:\n  aws: {region: us-east-9}\nqueues:\n  jobs: {}\n",
        "indent.yaml": "queues:\n  jobs\n    delay: 90s\n",
        "units.yaml": gcp + "session_stores:\n  cache: {memory: 1GB, tier: STANDARD_HA}\n",
        "bomb.yaml": gcp + f"name_template: {json.dumps(BOMB)}\nsession_stores:\n  cache: {{}}\n",
        "deep.yaml": gcp + 'name_template: "{{' + "(" * 95 + "name" + ")" * 95 + '}}"\n'
                     "session_stores:\n  cache: {}\n",
        "chain.yaml": "extends: _c999\nqueues:\n  jobs: {}\n",
        # round 2 (issue 27): an alias bomb by size, a number too long to read, an export
        # named PATH, a file name the Actions runner would read as a command, and a
        # production grant to a whole domain
        "aliasbomb.yaml": gcp + "queues:\n  jobs: {}\nwaivers:\n"
                          f"  - {{rule: MLC505, resource: jobs, reason: &a {LONG}}}\n"
                          + "  - {rule: MLC505, resource: jobs, reason: *a}\n" * 2,
        "bignumber.yaml": gcp + "session_stores:\n  cache: {memory: " + "9" * 5000 + "}\n",
        "pathexport.yaml": "providers:\n  aws: {region: us-east-1}\nqueues:\n  jobs: {}\n"
                           "exports:\n  PATH: jobs.url\n",
        "##[warning]runner.yaml": gcp + "queues:\n  jobs: {delay: 5s}\n",
        "grants.yaml": "profile: production\nproviders:\n  gcp: {project: acme-ml-test, "
                       "region: us-central1, project_number: '123456789012'}\n"
                       "queues:\n  jobs:\n    access: {publishers: ['domain:gmail.com']}\n",
    }
    for name, text in files.items():
        write(tmp_path, text, name)
    write(tmp_path, gcp, "_c0.yaml")
    for i in range(1, 1000):
        write(tmp_path, f"extends: _c{i - 1}\n", f"_c{i}.yaml")
    os.mkfifo(tmp_path / "environments" / "fifo.yaml")
    (tmp_path / "environments" / "stdin.yaml").symlink_to("/dev/stdin")
    out_file, err_file = tmp_path / "out.txt", tmp_path / "err.txt"
    # A small parent measures the lint's peak RSS: a child forked from pytest itself would
    # report pytest's (a forked child's high-water mark starts at its parent's).
    shim = ("import os, subprocess, sys\n"
            "p = subprocess.Popen(sys.argv[1:], stdout=open(os.environ['OUT'], 'w'), "
            "stderr=open(os.environ['ERR'], 'w'))\n"
            "_, status, usage = os.wait4(p.pid, 0)\n"
            "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)\n")
    measured = subprocess.run(
        [sys.executable, "-c", shim, sys.executable, "-m", "mlinfra_compile", "--root",
         str(tmp_path), "lint"], capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO), "OUT": str(out_file),
             "ERR": str(err_file)})
    code, peak_kib = (int(x) for x in measured.stdout.split())
    peak_mib = peak_kib / 1024
    out, err = out_file.read_text(), err_file.read_text()
    assert code == 1 and "Traceback" not in out + err
    for name, code in (("newline", "MLC205"), ("empty", "MLC315"), ("deadletter", "MLC505"),
                       ("gcpregion", "MLC317"), ("awsregion", "MLC317"),
                       ("indent", "MLC104"), ("units", "MLC207"), ("units", "MLC203"),
                       ("bomb", "MLC309"), ("deep", "MLC309"), ("chain", "MLC316"),
                       ("fifo", "MLC114"), ("aliasbomb", "MLC108"), ("bignumber", "MLC112"),
                       ("pathexport", "MLC323"), ("grants", "MLC508")):
        assert any(line.startswith(f"environments/{name}.yaml:") and f"[{code}]" in line
                   for line in out.splitlines()), (name, code)
    assert any(line.startswith("environments/stdin.yaml:") and
               ("[MLC114]" in line or "[MLC115]" in line) for line in out.splitlines())
    # the runner's commands are inert: `##[` nowhere, `::` at no line's start
    assert "##[" not in out and any("runner.yaml" in line for line in out.splitlines())
    assert not [line for line in out.splitlines() if line.lstrip().startswith("::")]
    assert len(out) < 200_000  # the 600 KB reason is not repeated
    assert peak_mib < 100, f"{peak_mib:.0f} MiB"  # (time measured: 1.2 s; no timed test)
