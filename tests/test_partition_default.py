"""A region no partition claims (one added with MLINFRA_EXTRA_REGIONS before mlinfra
knows it) is taken to be in the `aws` partition, as the AWS SDKs do: partitions.json
(@aws-sdk/core 3.974.15) lists `aws` first, and a region no partition's regionRegex
matches resolves to it."""

from __future__ import annotations

import json

from tests.golden import run_cli


def test_a_region_no_partition_claims_grants_in_aws(tmp_path, monkeypatch):
    monkeypatch.setenv("MLINFRA_EXTRA_REGIONS", "zz-north-9")
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "dev.yaml").write_text(
        "profile: development\nproviders:\n  aws: {region: zz-north-9}\nqueues:\n"
        "  jobs:\n    provider: aws\n    access:\n      publishers: ['123456789012']\n")
    code, out, err = run_cli(tmp_path, "compile", "dev")
    assert code == 0, err
    [policy] = [r for r in json.loads(out)["resources"]
                if r["type"] == "aws:sqs/queuePolicy:QueuePolicy"]
    [statement] = policy["args"]["policy"]["$json"]["Statement"]
    assert (statement["Sid"], statement["Principal"]) == (
        "Publishers", {"AWS": ["arn:aws:iam::123456789012:root"]})
