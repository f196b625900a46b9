"""`python -m tests.mutation_report`: every mutant `make mutate` left alive, with the line
it changed and why it is acceptable, written to docs/mutation-survivors.md.

A survivor is explained by the first rule of REASONS its function and changed line match;
one that matches none is printed as UNEXPLAINED and the command exits 1, so a new survivor
is either killed by a test or given a reason here (reviewed like code).
"""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "mutation-survivors.md"

# (function regex, changed-line regex, reason). The function is mutmut's name under
# mlinfra_compile (`providers.aws_sqs.x_build`, `providers.base.xǁDeclǁget`); the line is
# the mutated one. Each rule was
# written after reading its mutants; keep them narrow.
UNSHOWN = ("unobservable: the file and position of a default or derived value are never "
           "shown (plan and explain print its note) and no diagnostic points at one")
SAME_VALUES = ("equivalent: a change rule runs only when the two sides differ, so this "
               "branch (which needs them equal) never runs")
REASONS: list[tuple[str, str, str]] = [
    # cost (issue 17)
    (r"base\.x_traffic$", r'"empty" if size (<=|<) [12]',
     "equivalent: the message is chosen only for a size outside 1..most, where size < 1, "
     "size <= 1 and size < 2 agree (a size of 1 byte is in range)"),
    (r"pricing\.x_number$", r'rstrip\("XX0XX"\)',
     "equivalent: a formatted number has no X to strip"),
    (r"aws_sns\.x__fifo$", r"count is None and payload is None",
     "equivalent: the table has a FIFO request price and a payload price for the same "
     "regions, so both entries are found or neither"),
    (r"aws_sns\.x__subscription_monthly$", r"\)\(None, g\)|\)\(r, None\)",
     "equivalent: a free resource's pricer reads neither the resource nor the graph"),
    (r"cost\.xǁEstimateǁ_sum$", r"is not None\), \)$",
     "equivalent: sum() starts at 0 instead of Decimal(0); 0 + Decimal is the same Decimal, "
     "and an empty sum 0 prints as $0.00 either way"),
    (r"cost\.x_cost_text$", r"for k in range\(4\)\]",
     "equivalent: the width of the fourth column is computed and not used (it is "
     "right-aligned to 11)"),
    # providers: change rules
    (r"x__version_change$|x__engine_version_change$", r">=|<=", SAME_VALUES),
    (r"x__replicas_change$", r"READ_REPLICAS_ENABLED|read_replicas_enabled", SAME_VALUES),
    (r"x__engine_change$", r" or ", "equivalent: engine is always set on both sides, and "
                                    "for every pair but redis -> valkey both forms replace"),
    (r"x__version_change$", r"s\.new is None|s\.old is None and",
     "equivalent: redis_version is always compiled (it has a default), so neither side is "
     "None"),
    # providers: what services report
    (r"gcp_redis\.x_delivers$|aws_elasticache\.x_delivers$", r"return True",
     "equivalent: a store has no dead_letter field, so policy finds nothing to ask for"),
    (r"gcp_pubsub\.x_delivers$|aws_sqs\.x_delivers$", r"XXsubscriptionXX|SUBSCRIPTION",
     "equivalent: a subscription never holds a `subscriptions` map, so the second operand "
     "already answers True for it"),
    (r"x_network_of$", r"Value\(None, |Value\(\w+, None\)",
     "equivalent: policy asks only whether a network is named; the value and its origin "
     "are not read"),
    (r"gcp_pubsub\.x__subscriptions$|base\.x_subscription_decls$",
     r"Decl\((None|\"XXsubscriptionXX\"|\"SUBSCRIPTION\"),|"
                                        r", None, decl\.origin",
     "equivalent: a subscription's kind is read only by delivers() and MLC505's wording, "
     "which give the same answer for any kind but \"queue\"; the implicit subscription's "
     "provider only checks its labels, and it has none"),
    # providers: origins and names that are never shown
    (r"x_derived$|physical_name$|aws_elasticache\.x_build$|x_fixed_name$",
     r"Origin\(\"(default|derived)\", (None|[^,]+, None|[^,]+, [^,]+, None)|"
     r"^None, (f?\"|\"rendered)|"
     r", None, note\)", UNSHOWN),
    (r"physical_name$", r"check_autoname\(logical, \)",
     "equivalent in the shipped rules: only SQS passes a suffix, and SQS names have no "
     "auto-naming limit (check_autoname's contract is tested directly)"),
    (r"gcp_pubsub\.x__subscription$", r"\"iam_member\"|IAM_MEMBER|, None, owner|, owner\)\)",
     "not worth a test: the kind and declaration of a subscriber grant only word an MLC402 "
     "message; every other generated kind is pinned by err-generated-names-of-every-kind"),
    (r"gcp_pubsub\.x__access$|aws_access\.x_(queue|topic)_policy$|aws_sns\.x_build$|"
     r"aws_sns\.x__topic$",
     r"\"(access_grant|access_policy|topic)\", (None)?\)\)|\"topic_subscription\", None|"
     r"XXtopic_subscriptionXX|TOPIC_SUBSCRIPTION|s\.origins, (None, )?sub\.name\)\)|"
     r"s\.origins, \"topic_subscription\", \)\)|decl\.name if|^(None)?\)\)$",
     "not worth a test: a grant's, policy's or topic's declaration and a topic "
     "subscription's kind only word an MLC402 message, and the picture draws every kind "
     "without a shape of its own alike"),
    # providers: unreachable or defensive branches
    (r"aws_sqs\.x_build$|aws_sqs\.x_queue$",
     r"max_receives \{max_receives\}|range \{lo\}\.\.\{hi\}|"
                             r"decl\.err\(\"MLC204\", \"dead_letter\"",
     "unreachable: the schema already holds max_receives to 1..1000, which is the SQS range "
     "(the check stays for a schema that someday allows more, as Pub/Sub's does)"),
    (r"gcp_pubsub\.x__subscription$|gcp_pubsub\.x_build$", r"^break$|\(ret\) or True",
     "unreachable: a duration that does not parse stops at the schema, and retention always "
     "has a default"),
    (r"gcp_pubsub\.x_build$", r"dlq_topic = member = \"\"",
     "equivalent: both are only tested for truth, and \"\" is false like None"),
    (r"gcp_pubsub\.x_build$", r"dl = |at = dl\.origin if",
     "not worth a test: which of two positions that both ask for dead letters (the queue's "
     "dead_letter or its first subscription's) MLC312 points at"),
    (r"aws_access\.x_principals$", r"else \"(XXawsXX|AWS)\"",
     "unreachable: an aws resource without a region is MLC305, and nothing compiles"),
    (r"aws_sqs\.x_queue$", r"dlq_name = \"\"",
     "equivalent: the dead-letter queue's name is only tested for truth"),
    (r"diff\.x__keep_name$", r"NAME_ARGS\.get\(old\[\"type\"\], (None|\"XXXX\")?\)",
     "equivalent: any key no argument has reads None, as \"\" does"),
    (r"diff\.x__grant$", r"r\.get\(\"args\", (None)?\)",
     "equivalent: every resource of a graph has args"),
    (r"diff\.x_diff_graphs$", r"old_type=o\[\"type\"\] if \(o\[\"type\"\] != r\[\"type\"\]\) or "
                              r"True",
     "equivalent: with one type on both sides, old_type names the type `type` already "
     "holds, and stateful reads either"),
    (r"aws_elasticache\.x__network$", r"origin = \"\"|groups or origin",
     "equivalent: origin is set exactly when groups is not empty"),
    (r"aws_elasticache\.x_build$", r"get_close_matches\(.*(, \)|n=2\))",
     "equivalent: only the closest match is shown"),
    (r"aws_elasticache\.x_build$", r"engine: redis",
     "unreachable: every version the schema accepts belongs to redis or valkey, so a "
     "version one engine lacks always has the other to suggest"),
    (r"gcp_redis\.x__network$", r"\(network\) or True",
     "equivalent: this branch needs a network in another project, so network is set"),
    (r"x_check_cidr$", r"strict=None|^return True$",
     "equivalent: strict=None is false like False; after an error nothing compiles, so "
     "what the check returns then is never used"),
    (r"x_check_labels$|x_mapping_field$", r"^break$",
     "unreachable: every label has a position, and the merge removes a null network entry "
     "before any service reads the mapping"),
    # loader: the limits' messages
    (r"x_parse_bytes$", r"decode\(\"UTF-8\"\)", "equivalent: the same codec"),
    (r"x_parse_bytes$", r"removesuffix|XX\\ufeffXX",
     "equivalent after the YAML reader: PyYAML itself skips a byte-order mark at the start, "
     "so removing it here only keeps positions exact, which the BOM test checks"),
    (r"x_parse_bytes$", r"exc\.character",
     "unreachable: PyYAML reports the offending character of text input as an int"),
    (r"x_parse_bytes$", r"getattr\((exc|None), \"(problem_mark|context_mark|XXcontext_markXX|"
                        r"CONTEXT_MARK)\", ?\)|getattr\(None, \"context_mark\"|"
                        r"XXcontext_markXX|CONTEXT_MARK|str\(None\)|\(cmark is not None\) or True",
     "equivalent for every YAML error PyYAML raises: each has problem_mark, context_mark and "
     "problem, and the messages that read them are rewritten by yamlerrors.explain"),
    (r"x_parse_bytes$", r"\"MLC107\"",
     "unreachable with PyYAML 6.0.x: our own depth limit (64) stops the reader before "
     "PyYAML's (1000); the branch stays for a PyYAML that lowers it"),
    (r"x_read_file$", r"O_NONBLOCK",
     "equivalent on Linux and macOS, where os.O_NONBLOCK exists and the default is unused"),
    (r"x_read_file$", r"fh\.read\((None|MAX_FILE_BYTES \+ 2)\)",
     "equivalent: any read of more than the limit gives the same verdict"),
    (r"xǁ_Builderǁbuild$", r"place\(.*, None\)|root: Any = \"\"|anchor or type|type\(None\)",
     "equivalent: an anchor's recorded path only locates positions inside a mapping or "
     "list (a scalar or an alias has none), and an empty document is reported before root "
     "is read"),
    (r"xǁ_Builderǁbuild$", r"locs\[path\] = ",
     "equivalent: an alias's own position is always overwritten by, or loses to, the key "
     "position diagnostics use for it"),
    # the read functions' read_file rules hold for read_bytes, which does its reading now
    (r"x_read_bytes$", r"O_NONBLOCK",
     "equivalent on Linux and macOS, where os.O_NONBLOCK exists and the default is unused"),
    (r"x_read_bytes$", r"fh\.read\((None|MAX_FILE_BYTES \+ 2)\)",
     "equivalent: any read of more than the limit gives the same verdict"),
    # issues 24 and 25 (read after their mutation runs; see the closing notes)
    (r"sdkargs\.x_unknown$", r"get_close_matches\(name, known, (n=2)?\)",
     "equivalent: the message names the first match only"),
    (r"sdkargs\.x_unknown$", r"sdks\.get\(package, (None|'XX\?XX')?\)",
     "equivalent: every package the table's types name has its version in the table"),
    (r"sdkargs\.x_main$", r".",
     "the generator's command line (`make schema`); its output is checked by the staleness "
     "test, which calls read_sdks and table_text"),
    (r"diffall\.x__compare$", r"StackDiff\(env, \"(added|changed)\", None, d\)",
     "equivalent: compare_all sets a compared stack's exit from its diff"),
    (r"diffall\.x_diff_doc$", r"d\.cost is not None\) or True",
     "equivalent: diff_graphs always estimates the cost (cost.compare)"),
    (r"diffall\.x_(diff|all)_json$", r"ensure_ascii=None",
     "equivalent: None is false, as False is"),
    (r"repository\.x__extends_any$", r"files\[:(\+1|-2)\]|chain\.files\) or True",
     "equivalent: dependents repeats with each file it finds, so a stack that extends a "
     "changed file through others is found through them; a chain holds its own file"),
    (r"repository\.x__fixed_paths$", r"break",
     "equivalent: a chain that compiled passed the schema, so every declaration in it is a "
     "mapping and the skip never runs"),
    (r"state\.x__no_constant$", r"ValueError\(None\)",
     "equivalent: the error says the file is not JSON, without the constant's name"),
    (r"livestack\.x_pulumi_json$", r"check=(None|False)|capture_output=True, \)|"
                                    r"decode\(\"UTF-8\"|doc = \"\"",
     "equivalent: check=None is false and False the default; codec names are looked up "
     "without case; an empty string is no object either (helper's analysis)"),
    (r"livestack\.x_deployed_graph$", r"graph = \"\"",
     "equivalent: an empty string is no graph object either"),
    (r"livestack\.x_takes_over$", r"checkpoint\(doc, None\)|diff_graphs\(old, graph, "
                                   r"(None, running|running|f\"stack \{stack\}\", (None|))\)",
     "equivalent in what takes_over returns: the label names the checkpoint in messages "
     "nobody reads (a malformed one is refused), and what the stack runs matters only to "
     "ElastiCache's engine-version rules, which no same-stack adoption test reaches"),
]


def mutmut_results() -> dict[str, str]:
    out = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"],
                         cwd=REPO, capture_output=True, text=True, check=False).stdout
    results = {}
    for line in out.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            results[name] = status
    return results


def changed_line(name: str) -> str:
    """The first line the mutant changed, from the trampolined copy in mutants/."""
    module, _, func = name.rpartition(".")
    path = REPO / "mutants" / (module.replace(".", "/") + ".py")
    src = path.read_text(encoding="utf-8")
    base = func.split("__mutmut_")[0]
    orig = _function(src, base + "__mutmut_orig")
    mutant = _function(src, func)
    for line in difflib.unified_diff(orig, mutant, lineterm="", n=0):
        if line.startswith("+") and not line.startswith("+++"):
            return line[1:].strip()
    return "(a deleted line)"


def _function(src: str, name: str) -> list[str]:
    m = re.search(rf"^([ \t]*)def {re.escape(name)}\(.*?(?=^\S|^\1def |\Z)", src, re.M | re.S)
    body = m.group(0) if m else ""
    return [line for line in body.splitlines()
            if line.strip() and not line.lstrip().startswith("def ")]


def reason(func: str, line: str) -> str | None:
    for f_re, l_re, why in REASONS:
        if re.search(f_re, func) and re.search(l_re, line):
            return why
    return None


def main() -> int:
    results = mutmut_results()
    survived = sorted(n for n, s in results.items() if s == "survived")
    counted = Counter(s for s in results.values())
    rows, unexplained = [], 0
    for name in survived:
        line = changed_line(name)
        why = reason(name.removeprefix("mlinfra_compile.").split("__mutmut_")[0], line)
        if why is None:
            unexplained += 1
            why = "UNEXPLAINED"
            print(f"UNEXPLAINED {name}: {line}", file=sys.stderr)
        shown = line.replace("|", "\\|")[:110]
        rows.append(f"| `{name.removeprefix('mlinfra_compile.')}` | `{shown}` | {why} |")
    killed = counted["killed"] + counted["timeout"]
    scored = sum(counted.values()) - counted["no tests"] - counted["skipped"]
    head = [
        "# Mutants that survive `make mutate`",
        "",
        "Generated by `python -m tests.mutation_report` after `make mutate`; every row has a "
        "reason (the rules are in tests/mutation_report.py).",
        "",
        f"{killed} of {scored} mutants killed ({100 * killed / scored:.1f}%); "
        f"{counted['survived']} survive; {counted['no tests']} are in functions marked "
        "`no mutate` that mutmut lists without running.",
        "",
        "| mutant | changed line | why it is acceptable |",
        "|---|---|---|",
    ]
    OUT.write_text("\n".join(head + rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} survivors written to {OUT.relative_to(REPO)}; {unexplained} "
          "unexplained", file=sys.stderr)
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
