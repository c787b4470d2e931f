"""Stream ids in order: merging the shards' streams sorts their entries by id."""


def stream_order(entry_id: str) -> tuple[int, int]:
    """A stream id as a sortable pair (ms, sequence)."""
    millis, _, seq = entry_id.partition("-")
    return int(millis), int(seq or 0)
