"""The one reader's nesting limit (logfile.MAX_DEPTH): the cheap check on the bytes agrees with
the walk over the parsed record, strings holding brackets and quotes included, and a repeated
key (its dropped value deep) does not make a record too deep."""

from __future__ import annotations

import json
import random

import orjson
import pytest

from tabletop.logfile import MAX_DEPTH, BadLog, _depth_over, _nesting_over, parse


def _nested(levels: int) -> bytes:
    return b'{"a":' + b"[" * (levels - 1) + b"]" * (levels - 1) + b"}"


@pytest.mark.parametrize("levels", [MAX_DEPTH, MAX_DEPTH + 1, MAX_DEPTH + 2, MAX_DEPTH + 3])
def test_the_limit(levels):
    line = _nested(levels)
    if levels > MAX_DEPTH + 1:  # the top object is depth 0
        with pytest.raises(BadLog, match="nested deeper"):
            parse(line, 0)
    else:
        assert parse(line, 0)["a"] is not None


def test_bytes_and_record_agree():
    rng = random.Random(7)
    strings = ["a\"{[\\", "x}]", "\\\\", "{{{{", "é[ü", "plain"]

    def make(depth):
        if depth <= 0 or rng.random() < 0.2:
            return rng.choice([1, None, 2.5] + strings)
        if rng.random() < 0.5:
            return [make(depth - 1) for _ in range(rng.randint(0, 3))]
        return {"k" + str(i) + rng.choice(["", '"[', "{"]): make(depth - 1) for i in range(rng.randint(0, 3))}

    for _ in range(3000):
        limit = rng.randint(0, 8)
        line = json.dumps({"a": make(rng.randint(1, 12))}, ensure_ascii=rng.random() < 0.5).encode()
        assert _nesting_over(line, limit) == _depth_over(orjson.loads(line), limit)


def test_a_repeated_key_is_judged_on_the_record():
    deep = b"[" * (MAX_DEPTH + 5) + b"]" * (MAX_DEPTH + 5)
    line = b'{"a":' + deep + b',"a":1}'
    assert _nesting_over(line, MAX_DEPTH)  # the bytes nest deeper than the limit
    assert parse(line, 0) == {"a": 1}  # the record does not
