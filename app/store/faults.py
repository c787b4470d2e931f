"""Which Redis errors mean "the state store is unavailable" rather than "our code is wrong".

An outage (connection refused, timeout, loading), a server that refuses writes (out of memory
under `noeviction`, a read-only replica after a failover, `MISCONF` when it cannot persist)
passes by itself or with an operator's help: callers answer 503 and say which, never 500.
redis-py names OOM and READONLY replies by class, but Redis 6 reports an error raised inside
a script as `ERR Error running script ...: -OOM ...`, and MISCONF has no class of its own, so
the text is read as well. On a Redis Cluster, a master that is down (until its replica is
promoted, or it is back) makes its slots unserved: CLUSTERDOWN, TRYAGAIN, or redirections
that run out.
"""

from __future__ import annotations

from redis import exceptions

OUT_OF_MEMORY = "refuses writes: out of memory (maxmemory reached under noeviction)"
READ_ONLY = "refuses writes: it is a read-only replica"
_WRITE_REFUSALS = (
    ("-OOM ", OUT_OF_MEMORY),
    ("-READONLY ", READ_ONLY),
    ("MISCONF ", "refuses writes: it cannot persist to disk (MISCONF)"),
)


def unavailable(exc: BaseException) -> str | None:
    """Why the state store cannot serve this call, in words for an operator, or None when
    `exc` is not an availability problem (a bug, a wrong key type) and should stay a 500."""
    if isinstance(exc, exceptions.BusyLoadingError):
        return "is loading its data set"
    if isinstance(exc, exceptions.ConnectionError | exceptions.TimeoutError):
        return f"is unreachable ({type(exc).__name__}: {exc})"
    if isinstance(exc, exceptions.ClusterDownError | exceptions.TryAgainError):
        return "is a Redis Cluster with slots not served (a master down, a failover under way)"
    if isinstance(exc, exceptions.ClusterError):  # the client's redirections ran out
        return f"is a Redis Cluster that cannot be followed now ({exc})"
    if isinstance(exc, exceptions.OutOfMemoryError):
        return OUT_OF_MEMORY
    if isinstance(exc, exceptions.ReadOnlyError):
        return READ_ONLY
    if isinstance(exc, exceptions.ResponseError):
        text = str(exc)
        for code, reason in _WRITE_REFUSALS:
            if text.startswith(code.lstrip("-")) or code in text:
                return reason
    return None
