"""One environment of N declarations of every kind, in files within the loader's 1 MiB.

Each group of four declarations is an SQS queue with its dead-letter queue, a Pub/Sub
topic with two subscriptions, a Memorystore and an ElastiCache session store (alternating
clouds per group). The declarations are spread over a chain of partial files (`_part0`,
`_part1`, ... each extending the one before) and the stack `big` extending the last one,
so no file is over the limit at 40,000 declarations.

    .venv/bin/python bench/scale.py ROOT N      # writes ROOT/environments/
"""

from __future__ import annotations

import sys
from pathlib import Path

HEAD = ("providers:\n"
        "  gcp: {project: acme-ml-scale, region: us-central1, project_number: \"123456789012\"}\n"
        "  aws: {region: us-east-1}\n"
        "default_provider: aws\n")
PER_FILE = 5_000  # declarations: about 250 KiB a file


def declarations(n: int) -> list[tuple[str, str, str]]:
    """(section, name, flow mapping) for n declarations."""
    out = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            out.append(("queues", f"sqs{i:06d}", "{dead_letter: true, delay: 5s}"))
        elif kind == 1:
            out.append(("queues", f"ps{i:06d}",
                        "{provider: gcp, dead_letter: true, subscriptions: "
                        "{trainers: {retention: 2d}, audit: {ordering: true}}}"))
        elif kind == 2:
            out.append(("session_stores", f"ms{i:06d}", "{provider: gcp, memory: 2GiB}"))
        else:
            out.append(("session_stores", f"ec{i:06d}", "{memory: 1GiB}"))
    return out


def _text(extends: str | None, decls: list[tuple[str, str, str]], head: str = "") -> str:
    lines = [head.rstrip("\n")] if head else []
    if extends:
        lines.append(f"extends: {extends}")
    for section in ("session_stores", "queues"):
        mine = [f"  {name}: {flow}" for s, name, flow in decls if s == section]
        if mine:
            lines += [f"{section}:", *mine]
    return "\n".join(lines) + "\n"


def write(root: Path, n: int) -> Path:
    """The stack `big` of n declarations under root/environments/; its path."""
    env = root / "environments"
    env.mkdir(parents=True, exist_ok=True)
    decls = declarations(n)
    chunks = [decls[i:i + PER_FILE] for i in range(0, len(decls), PER_FILE)] or [[]]
    parent = None
    for k, chunk in enumerate(chunks[:-1]):
        text = _text(parent, chunk, HEAD if k == 0 else "")
        (env / f"_part{k}.yaml").write_text(text, encoding="utf-8")
        parent = f"_part{k}"
    stack = env / "big.yaml"
    last = _text(parent, chunks[-1], "" if parent else HEAD)
    stack.write_text("profile: development\n" + last, encoding="utf-8")
    for p in env.iterdir():
        assert p.stat().st_size <= 1 << 20, p
    return stack


if __name__ == "__main__":
    write(Path(sys.argv[1]), int(sys.argv[2]))
