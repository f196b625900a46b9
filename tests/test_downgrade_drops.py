"""What a downgrade says it drops, each part present only when it applies: `protect` and
deletion protection name every resource that loses them, joined by ", "; with neither
lost, only the rules and the refusal are dropped. (The downgrade itself:
tests/test_downgrade.py.)"""

from __future__ import annotations

from pathlib import Path

from tests.golden import committed_repo, edit, run_cli

REPO = Path(__file__).resolve().parent.parent
RULES = ("the production rules (MLC5xx: high availability, AUTH, TLS, protection, dead "
         "letters, a named network); the refusal of replacements and deletions of "
         "stateful resources (MLC601) from the next change on")


def _downgraded(tmp_path: Path, files: dict[str, str]) -> tuple[int, str]:
    root = committed_repo(tmp_path, dict(files))
    edit(root, "prod.yaml", "profile: production", "profile: development")
    rc, out, _ = run_cli(root, "diff", "prod", "--allow-downgrade")
    return rc, out.splitlines()[1]


def test_with_protection_kept_only_the_rules_and_the_refusal_are_dropped(tmp_path):
    queue = ("providers:\n  aws: {region: us-east-1}\nprofile: production\n"
             "queues:\n  jobs: {protect: true, dead_letter: {max_receives: 5}}\n")
    rc, line = _downgraded(tmp_path, {"prod.yaml": queue})
    assert rc == 0
    assert line == f"profile: production -> development (a downgrade: it drops {RULES})"


def test_every_resource_losing_protection_is_named(tmp_path):
    """Two Memorystore instances: each loses `protect` and its deletion protection."""
    prod = (REPO / "environments" / "prod.yaml").read_text()
    store = prod[prod.index("  ml-session-storage:"):prod.index("\nqueues:")]
    second = store.replace("ml-session-storage", "ml-session-two")
    prod = prod.replace("\nqueues:", "\n" + second + "\nqueues:")
    rc, line = _downgraded(tmp_path, {"prod.yaml": prod,
                                  "_base.yaml": (REPO / "environments" / "_base.yaml")
                                  .read_text()})
    protect = ("protect on ml-session-storage, ml-session-two, ml-training, "
               "ml-training-metrics-exporter, ml-training-queue, ml-training-queue-dlq, "
               "ml-training-trainers")
    guard = "deletion protection on ml-session-storage, ml-session-two"
    assert rc == 3  # (development drops AUTH: a replacement, refused as ever)
    assert line == (f"profile: production -> development (a downgrade: it drops "
                    f"{protect}; {guard}; {RULES})")
