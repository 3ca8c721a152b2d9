"""The one line reader (tabletop.logfile.iter_lines): every whole line with its index and byte
offset, whatever the read size; a torn last line raised after the whole ones; a line longer than
the limit refused at that line; ``at``, ``index`` and ``stop`` as a split check uses them."""

from __future__ import annotations

import contextlib
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tabletop import logfile
from tabletop.logfile import BadLog, TornTail, iter_lines

LINES = st.lists(st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"x")), max_size=30)


@contextlib.contextmanager
def _reads_of(size: int):
    """Reads of ``size`` bytes (the reader's chunk), so lines straddle chunks."""
    kept = logfile._READ
    logfile._READ = size
    try:
        yield
    finally:
        logfile._READ = kept


def _expected(lines: list[bytes], at: int = 0, index: int = 0) -> list[tuple[int, bytes, int]]:
    out, offset = [], at
    for number, data in enumerate(lines, start=index):
        out.append((number, data, offset))
        offset += len(data) + 1
    return out


def _read(data: bytes, **options) -> list[tuple[int, bytes, int]]:
    return [(line.index, line.data, line.offset) for line in iter_lines(io.BytesIO(data), **options)]


@settings(max_examples=150, deadline=None)
@given(lines=LINES, read=st.integers(1, 64), torn=st.binary(max_size=10).map(lambda b: b.replace(b"\n", b"")))
def test_every_whole_line_with_its_index_and_offset(lines, read, torn):
    data = b"".join(line + b"\n" for line in lines)
    with _reads_of(read):
        assert _read(data) == _expected(lines)
        if torn:
            got = []
            with pytest.raises(TornTail) as raised:
                for line in iter_lines(io.BytesIO(data + torn)):
                    got.append((line.index, line.data, line.offset))
            assert got == _expected(lines)  # the whole lines first, then the torn one raised
            assert (raised.value.index, raised.value.offset, raised.value.length) == (len(lines), len(data), len(torn))


@settings(max_examples=100, deadline=None)
@given(lines=LINES, read=st.integers(1, 64), data=st.data())
def test_a_part_from_at_to_stop(lines, read, data):
    raw = b"".join(line + b"\n" for line in lines)
    first = data.draw(st.integers(0, len(lines)))
    last = data.draw(st.integers(first, len(lines)))
    at = sum(len(line) + 1 for line in lines[:first])
    stop = sum(len(line) + 1 for line in lines[:last])
    with _reads_of(read):
        assert _read(raw, at=at, index=first, stop=stop) == _expected(lines[first:last], at, first)


@pytest.mark.parametrize("read", [1, 3, 1 << 20])
def test_a_line_over_the_limit_is_refused_at_that_line(monkeypatch, read):
    monkeypatch.setattr(logfile, "_READ", read)
    data = b"ok\n" + b"y" * 11 + b"\nlater\n"
    got = []
    with pytest.raises(BadLog, match="line 2 is longer than 10 bytes") as raised:
        for line in iter_lines(io.BytesIO(data), max_line=10):
            got.append(line.data)
    assert got == [b"ok"] and raised.value.seq == 1
    with pytest.raises(BadLog, match="line 1 is longer than 10 bytes"):  # no newline yet: the part held is too long
        list(iter_lines(io.BytesIO(b"z" * 50), max_line=10))
