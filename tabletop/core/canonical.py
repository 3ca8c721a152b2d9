"""Canonical JSON encoding and hashing used by the log and by state snapshots."""

from __future__ import annotations

import hashlib
import json
from typing import Any

GENESIS = "0" * 64


def dumps(value: Any) -> str:
    """Encode ``value`` canonically: sorted keys, no spaces, UTF-8 text kept as is."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chain_hash(prev: str, body: dict[str, Any]) -> str:
    """Hash of one log record: SHA-256 over the previous hash and the canonical record.

    ``body`` is the record without its own ``hash`` field (``prev`` included).
    """
    return hashlib.sha256((prev + dumps(body)).encode("utf-8")).hexdigest()
