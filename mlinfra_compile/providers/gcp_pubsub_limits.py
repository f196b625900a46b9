"""Pub/Sub's limits, from its documentation: a subscription's ack deadline, retention, retry
backoff, delivery attempts and expiry, the largest message, and the rule for resource names
(gcp_pubsub's docstring gives the sources)."""

from __future__ import annotations

from ..naming import NamingRule

ACK_DEADLINE = (10, 600)
# The largest message: 10 MB (Pub/Sub "Quotas and limits": message size, 10 MB).
LARGEST = (10_000_000, "the largest Pub/Sub message, 10 MB")
RETENTION = (600, 31 * 86400)
BACKOFF = (0, 600)
MAX_DELIVERY_ATTEMPTS = (5, 100)
MIN_EXPIRY = 86400
NAME_RULE = NamingRule("Pub/Sub", r"[A-Za-z][A-Za-z0-9._~+%-]{2,254}",
                       "3..255 characters: letters, digits and . _ ~ + % -, starting with a "
                       "letter", forbidden_prefix="goog")
