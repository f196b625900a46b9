"""MLC508 (broad grants in production) at its edges: a member the cloud refuses is
MLC322 only, the advice names the waivers list the stack already has, and a production
stack that declares nothing has no rule to fire. Expected lines are written out by hand
from the literal files (line and column counted in them)."""

from __future__ import annotations

import json

from tests.golden import run_cli

AWS = "providers:\n  aws: {region: us-east-1}\n"
GCP = ("providers:\n  gcp: {project: acme-ml-prod, region: us-central1, "
       "project_number: '123456789012'}\n")


def lint(repo, text: str) -> tuple[int, str, str]:
    repo.write("main.yaml", text)
    return repo.run("lint")


def test_a_domain_google_cloud_refuses_is_mlc322_and_not_also_mlc508(repo):
    # `domain:acme` has no dot: not a domain (Google Cloud IAM principal identifiers:
    # domain:DOMAIN, a Workspace or Cloud Identity domain such as example.com)
    rc, out, err = lint(repo, "profile: production\n" + GCP + "queues:\n  jobs:\n"
                        "    access:\n      subscribers: [domain:acme]\n")
    assert (rc, out, err) == (1, (
        "environments/main.yaml:7:21: error: queues.jobs.access.subscribers[0]: "
        "'domain:acme' is not a Google Cloud member: use serviceAccount:EMAIL, user:EMAIL, "
        "group:EMAIL, domain:DOMAIN, or a workforce or workload identity pool's "
        "principal://iam.googleapis.com/... or principalSet://... [MLC322]\n"),
        "1 file checked, 1 error\n")


def test_mlc508_advice_names_the_line_of_the_stacks_waivers_list(repo):
    # lines: 1 profile, 2-3 providers, 4 queues, 5 jobs, 6 dead_letter, 7 access,
    # 8 subscribers (the member at column 21), 9 waivers
    rc, out, err = lint(repo, "profile: production\n" + AWS + "queues:\n  jobs:\n"
                        "    dead_letter: false\n    access:\n"
                        "      subscribers: ['210987654321']\nwaivers:\n"
                        "  - {rule: MLC505, resource: jobs, reason: the consumer retries "
                        "forever}\n")
    assert (rc, out, err) == (1, (
        "environments/main.yaml:8:21: error: queues.jobs.access.subscribers[0]: production "
        "queues grant access to named principals, not to whole accounts, domains or pools: "
        "210987654321 is the whole AWS account 210987654321, every role and user in it that "
        "its own policies allow: name the role or user; to accept it, add {rule: MLC508, "
        'resource: jobs, reason: "..."} to the waivers list of this file (line 9) [MLC508]\n'),
        "1 file checked, 1 error\n")


def test_a_production_stack_without_declarations_compiles_to_nothing(repo):
    repo.write("main.yaml", "profile: production\n" + AWS)
    rc, out, err = repo.run("compile", "main")
    assert (rc, err) == (0, "")
    assert json.loads(out) == {"environment": "main", "format": "mlinfra.graph/v1",
                               "outputs": {}, "profile": "production", "resources": []}
    assert run_cli(repo.root, "lint") == (0, "", "1 file checked, 0 errors\n")
