"""Request bodies read whole, within their limit, before anything is done with them.

Werkzeug enforces a limit on a body with a Content-Length before it is read, but a chunked
body (no Content-Length) is only cut off at the limit, silently: the view saw the first
`limit` bytes, and answered 400 ("Unterminated string") or even 202 for a truncated batch. So
the stream is allowed one byte more than the limit, and a body that uses it is refused.
"""

from __future__ import annotations

import tempfile
from typing import IO

from flask import request

from app.web.errors import fail

SPOOL_IN_MEMORY_BYTES = 8 * 1024 * 1024  # an import larger than this waits in a temporary file
CHUNK_BYTES = 64 * 1024


def whole_body(limit: int, setting: str) -> bytes:
    """The body, or 413 naming `setting` if it is longer than `limit` bytes (a Content-Length
    over it is refused before reading, with this message rather than werkzeug's)."""
    if request.content_length is not None and request.content_length > limit:
        _too_large(limit, setting)
    request.max_content_length = limit + 1
    body = request.get_data(cache=False)
    if len(body) > limit:
        _too_large(limit, setting)
    return body


def spooled_body(limit: int, setting: str) -> IO[bytes]:
    """The whole body as a file positioned at its start (in memory up to
    SPOOL_IN_MEMORY_BYTES, on disk beyond), or 413 before the caller has applied anything."""
    request.max_content_length = limit + 1
    stream = request.stream  # a Content-Length over the limit is refused here already
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115
    try:
        # Reading past the stream's own limit raises werkzeug's bare 413: stop one byte over.
        while spool.tell() <= limit and (chunk := stream.read(CHUNK_BYTES)):
            spool.write(chunk)
        if spool.tell() > limit:
            _too_large(limit, setting)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool


def _too_large(limit: int, setting: str) -> None:
    fail(413, f"the body is larger than {limit} bytes ({setting}): nothing was accepted")
