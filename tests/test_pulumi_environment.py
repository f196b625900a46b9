"""stack.pulumi_environment: the environment Pulumi runs in. Without PULUMI_BACKEND_URL
(missing or empty) it points Pulumi at a local backend, file://<real root>/.pulumi-state
(Pulumi's local backend takes a file:// URL: `pulumi login file://<path>`), created;
with one set, the environment is kept whole and no folder is made."""

from __future__ import annotations

import os

import pytest

from mlinfra_compile import stack


@pytest.mark.parametrize("url", ["s3://team-state/mlinfra", "gs://team-state",
                                 "https://api.pulumi.com"])
def test_a_backend_url_set_is_kept_and_no_state_folder_is_made(tmp_path, url):
    base = {"PATH": "/bin", "PULUMI_BACKEND_URL": url}
    got = stack.pulumi_environment(str(tmp_path), base)
    assert got == {"PATH": "/bin", "PULUMI_BACKEND_URL": url}
    assert base == {"PATH": "/bin", "PULUMI_BACKEND_URL": url}
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("base", [{"PATH": "/bin"}, {"PATH": "/bin", "PULUMI_BACKEND_URL": ""},
                                  {"PATH": "/bin", "pulumi_backend_url": "s3://x"}],
                         ids=["missing", "empty", "lowercase-is-another-variable"])
def test_no_backend_url_means_a_local_state_folder_in_the_real_root(tmp_path, base):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    got = stack.pulumi_environment(str(tmp_path / "link"), dict(base))
    want = dict(base)
    want["PULUMI_BACKEND_URL"] = "file://" + str(real.resolve()) + "/.pulumi-state"
    assert got == want
    assert os.path.isdir(real / ".pulumi-state")
    assert os.listdir(real) == [".pulumi-state"]
