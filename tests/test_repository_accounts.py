"""repository._account: the AWS account an import id names, read by the id's form for its
resource type, else None. An SQS queue's id is its URL,
https://sqs.REGION.amazonaws.com/ACCOUNT/NAME (pulumi-aws sqs/queue.py: "import using the
queue url"); an SNS topic's its ARN, arn:aws:sns:REGION:ACCOUNT:NAME (sns/topic.py); a
Memorystore instance's id names a GCP project, no AWS account."""

from __future__ import annotations

import pytest

from mlinfra_compile.repository import _account


@pytest.mark.parametrize("rtype, rid, account", [
    ("aws:sqs/queue:Queue", "https://sqs.us-east-1.amazonaws.com/123456789012/ml-jobs",
     "123456789012"),
    ("aws:sns/topic:Topic", "arn:aws:sns:us-east-1:210987654321:ml-events", "210987654321"),
    ("aws:sqs/queue:Queue", None, None),                      # not imported
    ("gcp:redis/instance:Instance",
     "projects/acme-ml/locations/us-central1/instances/cache", None),
    ("pulumi:pulumi:Stack", "anything", None),                # a type with no import id
], ids=["sqs-url", "sns-arn", "no-id", "gcp", "no-form"])
def test_the_account_is_the_one_the_import_id_names(rtype, rid, account):
    assert _account(rtype, rid) == account
