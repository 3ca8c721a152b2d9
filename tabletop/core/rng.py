"""Named, seeded random streams whose whole state is plain data in the session.

Each subsystem draws from its own stream (``streams.get("faker")``), derived from
the session seed and the stream name, so adding draws in one subsystem never
shifts another's. The generator is SplitMix64: tiny, fast, and its state is one
integer that snapshots and the log can hold.
"""

from __future__ import annotations

import hashlib
from typing import Sequence, TypeVar

T = TypeVar("T")
_MASK = (1 << 64) - 1


def derive_seed(seed: int, name: str) -> int:
    digest = hashlib.sha256(f"tabletop:{seed}:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


class Stream:
    """One SplitMix64 stream. ``state`` is the only thing it holds."""

    __slots__ = ("state",)

    def __init__(self, state: int) -> None:
        self.state = state & _MASK

    def next_u64(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & _MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def random(self) -> float:
        """A float in [0, 1) with 53 bits of precision."""
        return (self.next_u64() >> 11) / float(1 << 53)

    def randint(self, low: int, high: int) -> int:
        """An integer in [low, high], both ends included, without modulo bias."""
        if high < low:
            raise ValueError("empty range")
        span = high - low + 1
        limit = (1 << 64) - ((1 << 64) % span)
        while True:
            draw = self.next_u64()
            if draw < limit:
                return low + draw % span

    def choice(self, items: Sequence[T]) -> T:
        if not items:
            raise ValueError("choice from an empty sequence")
        return items[self.randint(0, len(items) - 1)]

    def chance(self, probability: float) -> bool:
        return self.random() < probability


class Streams:
    """The session's random streams, keyed by subsystem name."""

    def __init__(self, seed: int, states: dict[str, int] | None = None) -> None:
        self.seed = seed
        self._streams: dict[str, Stream] = {
            name: Stream(state) for name, state in sorted((states or {}).items())
        }

    def get(self, name: str) -> Stream:
        stream = self._streams.get(name)
        if stream is None:
            stream = self._streams[name] = Stream(derive_seed(self.seed, name))
        return stream

    def snapshot(self) -> dict[str, int]:
        return {name: self._streams[name].state for name in sorted(self._streams)}
