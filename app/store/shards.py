"""Where each key lives: the shard layout that lets one contact's update stay in one slot.

Every address belongs to one of N virtual shards (a stable hash of the normalized address), and
every key an update of that address touches carries the shard's hash tag `{s<k>}`: its contact
state and suppression, and the shard's change log, suppressed index, streams, per-domain and
per-day counters and sync state. So each Lua script names keys of one Redis Cluster slot, and
N shards spread over the cluster's masters. Views over everything (stats, lists, alerts, the
sync's lag) read every shard and merge.

With one shard (the default, and a single Redis) the key names are exactly those of the
unsharded layout, so an existing deployment needs no migration. N is fixed when state is first
written with it and recorded in `<prefix>:shards`; a store opened with another N is refused,
since every address would then be looked up in the wrong shard.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

MAX_SHARDS = 16384  # Redis Cluster's slot count: more shards could not land on more slots


class ShardCountMismatch(Exception):  # noqa: N818 - reads as the problem it names
    """The store was opened with a shard count other than the one its state was written with."""


def shard_of(email: str, shards: int) -> int:
    """The address's shard: the first 8 bytes of its BLAKE2b digest modulo `shards` (stable
    across processes and Python versions, unlike hash())."""
    if shards == 1:
        return 0
    digest = hashlib.blake2b(email.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shards


@dataclass(frozen=True, slots=True)
class Layout:
    """Key names for `shards` shards under `prefix`."""

    prefix: str = "bk"
    shards: int = 1

    @property
    def sharded(self) -> bool:
        return self.shards > 1

    def shard_of(self, email: str) -> int:
        return shard_of(email, self.shards)

    def base(self, shard: int) -> str:
        """What every key of `shard` starts with: the prefix, and its hash tag when sharded."""
        return f"{self.prefix}:{{s{shard}}}" if self.sharded else self.prefix

    def contact(self, email: str) -> str:
        if self.sharded:
            return f"{self.base(self.shard_of(email))}:contact:{email}"
        return f"{self.prefix}:contact:{{{email}}}"

    def suppression(self, email: str) -> str:
        if self.sharded:
            return f"{self.base(self.shard_of(email))}:suppression:{email}"
        return f"{self.prefix}:suppression:{{{email}}}"

    def contact_pattern(self) -> tuple[str, str]:
        """A SCAN pattern for every contact key, and what precedes the address in each."""
        if self.sharded:
            return f"{self.prefix}:{{s*}}:contact:*", "}:contact:"
        return f"{self.prefix}:contact:{{*}}", f"{self.prefix}:contact:{{"

    def domain(self, shard: int, domain: str) -> str:
        """Per-domain counters of one shard (`:hour:<n>` or `:day:<n>` follows)."""
        if self.sharded:
            return f"{self.base(shard)}:domain:{domain}"
        return f"{self.prefix}:domain:{{{domain}}}"

    def global_key(self, name: str) -> str:
        """A key outside the shards; those read together share the tag `{g}` when sharded."""
        return f"{self.prefix}:{{g}}:{name}" if self.sharded else f"{self.prefix}:{name}"

    @property
    def record_key(self) -> str:
        """Where the shard count is recorded."""
        return f"{self.prefix}:shards"
