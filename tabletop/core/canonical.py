"""Canonical JSON encoding and hashing: the one byte path of the log.

A record is encoded **once** (:func:`encode_record`): orjson with sorted keys and
53-bit integers gives the canonical bytes of the record without its ``hash``; the
hash is SHA-256 over the previous hash and those bytes; the line written to disk
is the same bytes with ``"hash":"…"`` spliced in at its sorted place (between
``data`` and ``kind``). Readers check a line the same way in reverse
(:func:`line_hash`), cutting the hash out of the stored bytes instead of
re-encoding the record.

Canonical form (log format 2): UTF-8, keys sorted by code point, no whitespace,
no ``\\u`` escapes except control characters, integers within ±(2^53 − 1), finite
floats in orjson's shortest round-trip spelling, string keys only.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

GENESIS = "0" * 64
_OPTS = orjson.OPT_SORT_KEYS | orjson.OPT_STRICT_INTEGER
_HASH = b',"hash":"'
_KIND = b',"kind":'

EncodeError = orjson.JSONEncodeError
_dumps = orjson.dumps
_sha256 = hashlib.sha256


def encode(value: Any) -> bytes:
    """The canonical bytes of ``value`` (raises :data:`EncodeError` for what JSON cannot hold)."""
    return orjson.dumps(value, option=_OPTS)


def dumps(value: Any) -> str:
    """The canonical encoding as text, for state snapshots, digests and comparisons. Unlike the
    log (:func:`encode`), a snapshot may hold 64-bit integers (the random streams' state)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def freeze(value: Any) -> bytes:
    """A state as bytes to restore later with :func:`thaw` (the session's checkpoint): JSON, so
    it holds what snapshots hold (the replay index restores the same way)."""
    return _dumps(value)


def thaw(data: bytes) -> Any:
    """What :func:`freeze` froze, as new objects."""
    return orjson.loads(data)


def loads(data: bytes | str) -> Any:
    return orjson.loads(data)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest(value: Any) -> str:
    """SHA-256 of a value's canonical bytes (state digests in tests and forks)."""
    return hashlib.sha256(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)).hexdigest()


def encode_record(prev: str, body: dict[str, Any]) -> tuple[str, bytes]:
    """Hash and line of one log record. ``body`` holds every field but ``hash``.

    Returns ``(hash, line)``; ``line`` has no trailing newline.
    """
    raw = _dumps(body, option=_OPTS)
    made = _sha256(prev.encode("ascii") + raw).hexdigest()
    cut = raw.rfind(_KIND) + 1  # the top-level "kind": nothing after it holds an object
    return made, b"".join((raw[:cut], b'"hash":"', made.encode("ascii"), b'",', raw[cut:]))


def line_hash(prev: str, line: bytes, stored: str) -> str | None:
    """The hash a stored ``line`` should carry after ``prev``, or None if the line has no
    top-level ``"hash":"<stored>"`` where the canonical form puts it."""
    cut = line.rfind(_HASH)
    if cut < 0:
        return None
    end = cut + len(_HASH) + len(stored)
    if line[end:end + 2] != b'",' or line[cut + len(_HASH):end] != stored.encode("ascii", "replace"):
        return None
    return hashlib.sha256(prev.encode("ascii") + line[:cut + 1] + line[end + 2:]).hexdigest()


def chain_hash(prev: str, body: dict[str, Any]) -> str:
    """Hash of one log record from its parsed fields (``body`` without ``hash``)."""
    return encode_record(prev, body)[0]
