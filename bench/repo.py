"""The synthetic repository `make bench` lints: environment files of about 20
declarations each, ten stacks per partial `_baseN.yaml` that each stack extends."""

from __future__ import annotations

from pathlib import Path


def write_repo(root: Path, files: int, decls: int, named: bool = False) -> list[Path]:
    """`files` environment files: one partial base per 10 stacks, each stack extending
    its base, `decls` declarations per file across both clouds. `named`: each base sets
    a name_template, so every resource has a fixed physical name for the checks across
    stacks to index (and `lint FILE` reads every stack)."""
    env = root / "environments"
    env.mkdir(parents=True)
    paths = []
    for i in range(files):
        group = i // 10
        if i % 10 == 0:
            base = env / f"_base{group}.yaml"
            base.write_text(
                "# yaml-language-server: $schema=../schemas/environment.schema.json\n"
                "providers:\n"
                f"  gcp: {{project: acme-ml-{group:04d}, region: us-central1, "
                "project_number: \"123456789012\", network: ml-vpc}\n"
                "  aws: {region: us-east-1, subnet_ids: [subnet-0a1b2c3d, subnet-4e5f6a7b]}\n"
                "default_provider: gcp\n"
                "labels: {team: ml-platform, cost-center: research}\n"
                + ("name_template: \"{{ env }}-{{ name }}\"\n" if named else ""))
            paths.append(base)
            if len(paths) >= files:
                break
        lines = [
            "# yaml-language-server: $schema=../schemas/environment.schema.json",
            f"extends: _base{group}",
            f"profile: {'production' if i % 2 else 'development'}",
            "session_stores:",
        ]
        for d in range(decls // 4):
            lines += [f"  store-{d}:", f"    memory: {1 + d % 4}GiB",
                      "    eviction_policy: allkeys-lru",
                      f"    provider: {'aws' if d % 3 == 0 else 'gcp'}"]
        lines.append("queues:")
        for d in range(decls - decls // 4):
            if d % 2:
                lines += [f"  sqs-{d}:", "    provider: aws", "    delay: 90s",
                          "    max_message_size: 256KiB", "    retention: 1d",
                          "    receive_wait: 10s", "    visibility_timeout: 30s"]
            else:
                lines += [f"  topic-{d}:", "    visibility_timeout: 60s", "    subscriptions:",
                          "      trainers: {retention: 2d}", "      audit: {ordering: true}"]
        path = env / f"env{i:04d}.yaml"
        path.write_text("\n".join(lines) + "\n")
        paths.append(path)
        if len(paths) >= files:
            break
    return paths[:files]
