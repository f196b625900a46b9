"""`mlinfra adopt`'s whole output (diffcmd.adopt): on stderr the file it wrote, one line
for each thing not expressed and each thing staying with the old stack, lint's
diagnostics and the steps; on stdout the comparison with the state, labelled with the
state's file and stack; the exit code by what the comparison would create, replace or
delete (0 only when nothing)."""

from __future__ import annotations

from tests.golden import run_cli
from tests.test_adopt import QUEUES_STATE, REDIS_STATE, load, new_repo, write_state

OLD_PROJECT = "urn:pulumi:dev::ml-training-queues::"
STEP_1 = ("next, stack {env} takes over the resources the file declares (the comparison "
          "above shows what else it would create or delete):\n"
          "  1. `mlinfra deploy {env} --preview`, then `mlinfra deploy {env}`: imports each "
          "resource by its id\n")


def test_a_clean_adoption_says_what_it_wrote_and_compares_with_the_state(tmp_path):
    root = new_repo(tmp_path)
    rc, out, err = run_cli(root, "adopt", str(REDIS_STATE), "sessions")
    assert rc == 0, err
    assert out == (
        f"diff sessions: state {REDIS_STATE} (stack dev) -> working tree\n"
        "  ~ ml-session-storage  gcp:redis/instance:Instance  update\n"
        "      deletion_protection: true -> false  in place\n"
        '      labels: {} -> {environment: "sessions", managed-by: "mlinfra"}  in place\n'
        "0 to create, 1 to update in place, 0 to replace, 0 to delete\n"
        "monthly cost: unchanged, $35.77/month\n")
    assert err == (
        "wrote environments/sessions.yaml\n"
        + STEP_1.format(env="sessions")
        + "  2. `pulumi stack rm --force dev` in the old program's folder (stack dev of "
        "project ml-session-storage): forgets the old stack and leaves its resources "
        "running, (run no `pulumi up` or `pulumi destroy` there before)\n")


def _topic_without_subscription_and_two_components() -> dict:
    doc = load(QUEUES_STATE)
    kept = [r for r in doc["deployment"]["resources"]
            if r["type"] != "gcp:pubsub/subscription:Subscription"]
    components = [{"urn": f"{OLD_PROJECT}my:component:Thing::{name}", "custom": False,
                   "type": "my:component:Thing"} for name in ("parts", "wiring")]
    doc["deployment"]["resources"] = kept + components
    return doc


def test_a_subscription_adopting_would_create_exits_3_and_every_line_is_listed(tmp_path):
    # mlinfra gives every Pub/Sub queue a subscription: the state's topic has none, so
    # the comparison creates one (and nothing else): no clean hand-over, exit 3 with
    # --partial; two things not expressed and two staying behind, one line each
    root = new_repo(tmp_path)
    state = write_state(tmp_path, _topic_without_subscription_and_two_components())
    rc, out, err = run_cli(root, "adopt", str(state), "q", "--partial")
    assert rc == 3, err
    assert out == (
        f"diff q: state {state} (stack dev) -> working tree\n"
        "  ~ ml-training-queue  aws:sqs/queue:Queue  update\n"
        '      tags: {} -> {environment: "q", managed-by: "mlinfra"}  in place\n'
        "  ~ ml-training-topic  gcp:pubsub/topic:Topic  update\n"
        '      labels: {} -> {environment: "q", managed-by: "mlinfra"}  in place\n'
        "  + ml-training-topic-sub  gcp:pubsub/subscription:Subscription  create\n"
        "1 to create, 2 to update in place, 0 to replace, 0 to delete\n"
        "monthly cost: +$0.00/month (1 change not known: no figure on one side)\n"
        "  ml-training-topic-sub  - -> usage-based  (not known)\n"
        "  estimated total: $0.00 -> $0.00 a month\n"
        "  not included: 3 resources priced by use with no usage given\n")
    stays = ("a component, a read-only resource or a pending deletion: not moved; it stays "
             "with the old stack")
    assert err == (
        "wrote environments/q.yaml\n"
        "mlinfra: not expressed: ml-training-topic (gcp:pubsub/topic:Topic mlTrainingTopic): "
        "no subscription: mlinfra gives every Pub/Sub queue one, which adopting would "
        "create\n"
        "mlinfra: not expressed: output ml_training_subscription_name = "
        "mlTrainingSubscription-0a9c3e4: no declaration attribute has this value\n"
        f"mlinfra: stays with the old stack: my:component:Thing parts: {stays}\n"
        f"mlinfra: stays with the old stack: my:component:Thing wiring: {stays}\n"
        + STEP_1.format(env="q")
        + "  2. `pulumi stack rm --force dev` in the old program's folder (stack dev of "
        "project ml-training-queues): forgets the old stack and leaves its resources "
        "running, once it manages nothing but what is listed as staying with it (else "
        "those resources would be managed by no stack; delete or move them first)\n")


def test_a_file_lint_refuses_is_reported_on_stderr_and_not_compared(tmp_path):
    # the second stack adopting the same instance: each file compiles alone, but lint's
    # check across stacks refuses two stacks holding one cloud resource (MLC406), so
    # adopt stops there (exit 1) with nothing on stdout
    root = new_repo(tmp_path)
    assert run_cli(root, "adopt", str(REDIS_STATE), "sessions")[0] == 0
    rc, out, err = run_cli(root, "adopt", str(REDIS_STATE), "sessions2")
    assert (rc, out) == (1, "")
    both = ("one cloud resource belongs to one stack, else each deploy overwrites the "
            "other's settings and destroying one deletes the other's")
    at = "environments/sessions2.yaml:14:3: error: session_stores.ml-session-storage: "
    assert err == (
        "wrote environments/sessions2.yaml\n"
        f"{at}ml-session-storage (gcp:redis/instance:Instance) of stack sessions2 takes "
        "the physical name 'ml-session-storage-5c8e1f2' in acme-ml-prod, us-central1, and "
        "so does stack sessions (environments/sessions.yaml:14:3): "
        f"{both}; give each environment its own `name` (or a name_template with "
        "{{ env }}) [MLC406]\n"
        f"{at}ml-session-storage of stack sessions2 imports 'projects/acme-ml-prod/"
        "locations/us-central1/instances/ml-session-storage-5c8e1f2', and so does stack "
        f"sessions (environments/sessions.yaml:14:3): {both}; import it in one stack only "
        "[MLC406]\n")
