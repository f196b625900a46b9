"""What Memorystore for Redis takes for a store's `version`, `persistence` and
`network.connect_mode`: each language value and the API's value it becomes (gcp_redis's
docstring gives the sources), read by the builder (gcp_redis) and by adopting
(gcp_redis_adopt)."""

from __future__ import annotations

VERSIONS = {"6.x": "REDIS_6_X", "7.0": "REDIS_7_0", "7.2": "REDIS_7_2"}
PERSISTENCE = {"rdb-1h": "ONE_HOUR", "rdb-6h": "SIX_HOURS", "rdb-12h": "TWELVE_HOURS",
               "rdb-24h": "TWENTY_FOUR_HOURS"}
CONNECT_MODES = {"direct_peering": "DIRECT_PEERING",
                 "private_service_access": "PRIVATE_SERVICE_ACCESS"}
