"""Message ids in fewer bytes, losslessly: how a contact's history stores them (issue #4).

An ESP's message id is mostly hex digits (ZeptoMail's 64-hex hash and 17-hex tag, SES's and
SparkPost's hex ids, UUIDs) and decimal runs (ZeptoMail's 13-digit ms time, dates), so the
packed form stores such runs as bytes and everything else as it is:

- a byte below 0x80 is that ASCII character;
- 0x80 + (n - 1), n 1 to 64: n lowercase hex digits follow, two per byte (an odd n leaves the
  last low nibble 0);
- 0xC0 + (n - 1), n 1 to 32: the same for n uppercase hex digits;
- 0xE0 + (n - 1), n 1 to 24: n decimal digits (leading zeros included) as one big-endian
  number in the fewest bytes that hold any n digits (13 digits: 6 bytes);
- 0xF8, then a length byte (1 to 255): that many bytes of UTF-8 (non-ASCII text);
- 0xF9 to 0xFF are not used.

Runs shorter than 4 characters stay literal (packing them saves nothing); longer ones are cut
into pieces of the largest length a tag holds. Any Python string round-trips exactly
(`unpack(pack(s)) == s`, lone surrogates included), and the format is concatenative: the
packing of `a + b` may differ from `pack(a) + pack(b)`, but `unpack(pack(a) + pack(b))` is
always `a + b`. Any ASCII string also unpacks to itself (`pack` would only make it shorter),
which is how the scripts carry ids stored before packing existed (`STATE_CODEC` in
app/store/lua.py wraps their non-ASCII bytes in 0xF8 runs).

`segments` cuts an id into the parts the history compares with the newer entry's: the domain
part from the last `@`, and the local part at each `.`, so a part that repeats between a
contact's messages (ZeptoMail's `<zcb.3z`, its account tag, the domain) is stored once.
"""

from __future__ import annotations

import functools
import re

LOWER_HEX, UPPER_HEX, DECIMAL, UTF8 = 0x80, 0xC0, 0xE0, 0xF8
MAX_RUN = {LOWER_HEX: 64, UPPER_HEX: 32, DECIMAL: 24}
MIN_RUN = 4
MAX_SEGMENTS = 8

_RUNS = re.compile(r"([0-9a-fA-F]{4,}|[^\x00-\x7f]+)")  # split: runs at the odd places
_CASED = re.compile(r"[0-9a-f]+|[0-9A-F]+")
_WIDTH = [0] + [((10**n - 1).bit_length() + 7) // 8 for n in range(1, MAX_RUN[DECIMAL] + 1)]


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _hex_run(out: bytearray, run: str, tag: int) -> None:
    step = MAX_RUN[tag]
    for start in range(0, len(run), step):
        piece = run[start : start + step]
        out.append(tag + len(piece) - 1)
        out += bytes.fromhex(piece + "0" * (len(piece) % 2))


def _decimal_run(out: bytearray, run: str) -> None:
    step = MAX_RUN[DECIMAL]
    for start in range(0, len(run), step):
        piece = run[start : start + step]
        out.append(DECIMAL + len(piece) - 1)
        out += int(piece).to_bytes(_WIDTH[len(piece)], "big")


def _run(out: bytearray, run: str) -> None:
    """A run of 4 or more ASCII hex digits; one of mixed case is cut where the case changes."""
    if run.isdigit():
        _decimal_run(out, run)
    elif run.lower() == run:
        _hex_run(out, run, LOWER_HEX)
    elif run.upper() == run:
        _hex_run(out, run, UPPER_HEX)
    else:
        for part in _CASED.findall(run):
            if len(part) < MIN_RUN:
                out += part.encode()
            else:
                _run(out, part)


def pack(text: str) -> bytes:
    """The packed form of `text`: never longer than its UTF-8, but for 2 bytes per run of
    non-ASCII characters (and per 255 bytes of one)."""
    parts = _RUNS.split(text)
    if len(parts) == 1:
        return text.encode()  # ASCII with no run worth packing: itself
    out = bytearray()
    for i, part in enumerate(parts):
        if not i % 2:
            out += part.encode()
        elif part[0] >= "\x80":
            raw = _utf8(part)
            for start in range(0, len(raw), 255):
                chunk = raw[start : start + 255]
                out += bytes((UTF8, len(chunk))) + chunk
        else:
            _run(out, part)
    return bytes(out)


def unpack(packed: bytes) -> str:
    """The string `pack` was given (or the concatenation, for concatenated packed forms)."""
    parts: list[str] = []
    raw = bytearray()  # UTF-8 runs are joined first: a run cut at 255 bytes may split a char
    i, end = 0, len(packed)
    while i < end:
        tag = packed[i]
        i += 1
        if tag == UTF8:
            size = packed[i]
            raw += packed[i + 1 : i + 1 + size]
            i += 1 + size
            continue
        if raw:
            parts.append(raw.decode("utf-8", "surrogatepass"))
            raw.clear()
        if tag < 0x80:
            parts.append(chr(tag))
        elif tag < DECIMAL:
            kind = LOWER_HEX if tag < UPPER_HEX else UPPER_HEX
            n = tag - kind + 1
            size = (n + 1) // 2
            digits = packed[i : i + size].hex()[:n]
            parts.append(digits if kind == LOWER_HEX else digits.upper())
            i += size
        elif tag < UTF8:
            n = tag - DECIMAL + 1
            size = _WIDTH[n]
            parts.append(str(int.from_bytes(packed[i : i + size], "big")).zfill(n))
            i += size
        else:
            raise ValueError(f"not a packed message id: tag {tag:#x} at {i - 1}")
    if raw:
        parts.append(raw.decode("utf-8", "surrogatepass"))
    return "".join(parts)


def segments(message_id: str) -> list[str]:
    """The id cut before its last `@` and before each `.` of the part ahead of it (at most
    MAX_SEGMENTS parts, the last part taking the rest); `"".join` gives the id back."""
    local, at, domain = message_id.rpartition("@")
    if not at:
        local, domain = domain, ""
    if "." in local:
        first, *rest = local.split(".")
        parts = [first, *["." + part for part in rest]]
        if len(parts) > MAX_SEGMENTS - 1:
            parts[MAX_SEGMENTS - 2 :] = ["".join(parts[MAX_SEGMENTS - 2 :])]
    else:
        parts = [local]
    return [part for part in (*parts, at + domain) if part]


@functools.lru_cache(maxsize=4096)
def _pack_part(part: str) -> bytes:
    return pack(part)  # the parts that repeat (a sender's domain, ZeptoMail's tag) hit


def pack_segments(message_id: str) -> list[bytes]:
    return [_pack_part(part) for part in segments(message_id)]
