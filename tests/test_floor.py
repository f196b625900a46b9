"""tests/floor.py, the check `make floor` runs in .venv-floor, tried here with the pinned SDKs
of .venv: the pins it installs are pyproject's lower bounds, and an argument or a nested key
an SDK class lacks fails naming the resource, as a TypeError at registration does."""

from __future__ import annotations

import re
import tomllib

import pulumi
import pytest

from tests import floor
from tests.golden import REPO


def test_the_floors_are_the_lower_bounds_of_the_pulumi_extra_pinned_exactly():
    extra = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]["pulumi"]
    pins = [r for r in floor.requirements() if "==" in r]
    assert [p.split("==")[0] for p in pins] == ["pulumi", "pulumi-gcp", "pulumi-aws"]
    for pin, req in zip(pins, extra, strict=True):
        name, version = pin.split("==")
        assert re.match(rf"{re.escape(name)}>={re.escape(version)},<\d+$", req), (pin, req)


def test_a_requirement_without_a_lower_bound_is_refused(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\ndependencies = []\n[project.optional-dependencies]\npulumi = ["pulumi<4"]\n')
    with pytest.raises(SystemExit, match="'pulumi<4' has no lower bound"):
        floor.floors(tmp_path / "pyproject.toml")


def test_versions_compare_as_pep_440_releases():
    assert floor._release("9.4") == floor._release("9.4.0") != floor._release("9.3.0")


REDIS = {"name": "cache", "type": "gcp:redis/instance:Instance", "options": {},
         "args": {"memory_size_gb": 1, "tier": "BASIC", "region": "us-central1",
                  "labels": {"any_key": "x"}, "redis_configs": {"maxmemory-policy": "noeviction"},
                  "maintenance_policy": {"weekly_maintenance_windows": [
                      {"day": "SUNDAY", "start_time": {"hours": 3, "minutes": 0}}]}}}


def test_every_argument_and_nested_key_the_sdk_has_passes():
    assert floor.unknown_arguments(REDIS) == []  # (maps such as labels take any key)


def test_an_argument_or_a_nested_key_the_sdk_lacks_is_named():
    r = {**REDIS, "args": {**REDIS["args"], "no_such_argument": True,
                           "maintenance_policy": {"weekly_maintenance_windows": [
                               {"day": "SUNDAY", "start_time": {"hours": 3, "fortnights": 1}}]}}}
    assert floor.unknown_arguments(r) == [
        "no_such_argument", "maintenance_policy.weekly_maintenance_windows.start_time.fortnights"]


def _graph(*resources):
    return {"format": "mlinfra.graph/v1", "environment": "main", "profile": "development",
            "resources": list(resources), "outputs": {}}


def test_registration_under_mocks_names_the_resource_an_sdk_refuses():
    assert floor.register(_graph(REDIS), "main") == ["cache"]
    bad = {**REDIS, "args": {**REDIS["args"], "no_such_argument": True}}
    with pytest.raises(floor.RegistrationError,
                       match=r"^'cache' \(gcp:redis/instance:Instance\): .*unexpected keyword "
                             r"argument 'no_such_argument'"):
        floor.register(_graph(bad), "main")


def test_a_failing_environment_is_named_with_the_sdk_and_its_version():
    bad = {**REDIS, "args": {**REDIS["args"], "deletion_protection_v2": True}}
    failures = floor.check("environments/main.yaml", _graph(bad), "main",
                           {"pulumi-gcp": "9.3.0"})
    assert failures[0] == ("environments/main.yaml: resource 'cache' "
                           "(gcp:redis/instance:Instance): pulumi-gcp 9.3.0 has no argument "
                           "deletion_protection_v2")
    assert failures[1].startswith("environments/main.yaml: registering under "
                                  "pulumi.runtime.Mocks failed: RegistrationError: 'cache'")


def test_the_check_covers_the_shipped_environments_and_the_golden_cases():
    found = {str(root.relative_to(REPO)) for root, _env in floor.environments()}
    assert "." in found and "tests/cases/ok-fanout-both-clouds" in found
    assert pulumi  # (make test installs the SDKs: missing, this module fails to import)
