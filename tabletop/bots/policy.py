"""Policy names and seat assignments: ``by_the_book``, ``idle``, ``late:2``, ``chaotic`` and
``POLICY[,SEAT=POLICY…]`` (``run --bots``, ``serve --bots``, ``batch --policy``)."""

from __future__ import annotations

from dataclasses import dataclass

NAMES = ("idle", "by_the_book", "late", "chaotic")
MAX_LATE = 100


class BotError(ValueError):
    """A policy or seat assignment that cannot be used (the CLI prints it and exits 2).

    ``key`` and ``params`` name the message in the translation table (tabletop/i18n/batch.yaml)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key, self.params = key, params

    def text(self, lang: str) -> str:
        from tabletop import i18n

        return i18n.t(self.key, lang, **self.params)


@dataclass(frozen=True)
class Policy:
    """A bot policy: ``name`` and, for ``late``, how many turns late it acts."""

    name: str
    delay: int = 0

    @property
    def text(self) -> str:
        return f"late:{self.delay}" if self.name == "late" else self.name


def parse_policy(text: str) -> Policy:
    """``idle`` | ``by_the_book`` | ``late:N`` (N from 1 to 100) | ``chaotic``."""
    name, sep, arg = text.strip().partition(":")
    if name == "late":
        if not sep or not arg.isdigit() or not 1 <= int(arg) <= MAX_LATE:
            raise BotError("batch.err.late", text=text, most=MAX_LATE)
        return Policy("late", int(arg))
    if sep or name not in NAMES:
        raise BotError("batch.err.policy", text=text)
    return Policy(name)


def parse_policies(text: str) -> list[Policy]:
    """A comma-separated list of policies (``batch --policy``), in order, without repeats."""
    out: list[Policy] = []
    for part in text.split(","):
        if not part.strip():
            raise BotError("batch.err.empty", text=text)
        policy = parse_policy(part)
        if policy in out:
            raise BotError("batch.err.policy_twice", policy=policy.text)
        out.append(policy)
    return out


def assign(text: str, seats: list[str]) -> dict[str, Policy]:
    """Seat name -> policy from ``POLICY[,SEAT=POLICY…]``; a bare POLICY fills every seat not
    named. Seats left out (no bare POLICY) stay with people (or the actions file)."""
    default: Policy | None = None
    named: dict[str, Policy] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            raise BotError("batch.err.empty", text=text)
        seat, sep, policy = part.rpartition("=")
        if not sep:
            if default is not None:
                raise BotError("batch.err.two_defaults", text=text)
            default = parse_policy(part)
            continue
        if seat not in seats:
            raise BotError("batch.err.seat", seat=seat, seats=", ".join(seats))
        if seat in named:
            raise BotError("batch.err.seat_twice", seat=seat)
        named[seat] = parse_policy(policy)
    out = {}
    for seat in seats:
        if seat in named:
            out[seat] = named[seat]
        elif default is not None:
            out[seat] = default
    return out
