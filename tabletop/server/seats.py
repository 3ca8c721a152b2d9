"""Seats and their tokens.

A seat is a county role (``hualien.supply``), ``central`` or the facilitator. Each gets a
random token per session; the token *is* the seat: county and role are taken from it and
never from a request. Tokens live in a sidecar beside the log (``LOG.seats.json``), written
once, atomically (temp file, fsync, rename, fsync of the folder), so a resumed session keeps
its join links. Tokens never enter the log: the log names the seat.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any, Iterable

from tabletop import files

FACILITATOR = "facilitator"
CENTRAL = "central"
EVALUATOR = "evaluator"
SIDECAR_FORMAT = 1


@dataclass(frozen=True)
class Seat:
    county: str | None
    role: str
    token: str

    @property
    def name(self) -> str:
        """The seat as the log names it (the command's actor)."""
        return f"{self.county}.{self.role}" if self.county else self.role

    @property
    def is_facilitator(self) -> bool:
        return self.role == FACILITATOR

    @property
    def is_evaluator(self) -> bool:
        return self.role == EVALUATOR


class SeatError(Exception):
    """A seats sidecar that does not belong to this log, or cannot be read."""


def seat_names(session: Any) -> list[tuple[str | None, str]]:
    """Every trainee seat in scenario order (county roles, then central where a command is central's)."""
    out: list[tuple[str | None, str]] = [(county.id, role) for county in session.scenario.counties
                                          for role in county.roles]
    if any(CENTRAL in spec.roles for spec in session.registry.values()):
        out.append((None, CENTRAL))
    if any(EVALUATOR in spec.roles for spec in session.registry.values()):
        out.append((None, EVALUATOR))
    return out


def sidecar_path(log_path: str) -> str:
    return log_path + ".seats.json"


class SeatBook:
    """The session's seats: token -> seat, and name -> seat."""

    def __init__(self, seats: Iterable[Seat]) -> None:
        self.seats = list(seats)
        self.by_token = {seat.token: seat for seat in self.seats}
        self.by_name = {seat.name: seat for seat in self.seats}
        if len(self.by_token) != len(self.seats):
            raise SeatError("two seats share a token")

    @classmethod
    def new(cls, session: Any) -> "SeatBook":
        seats = [Seat(county, role, _token()) for county, role in seat_names(session)]
        return cls(seats + [Seat(None, FACILITATOR, _token())])

    def find(self, token: str | None) -> Seat | None:
        return self.by_token.get(token) if token else None

    @property
    def facilitator(self) -> Seat:
        return self.by_name[FACILITATOR]

    @property
    def trainees(self) -> list[Seat]:
        return [seat for seat in self.seats if not seat.is_facilitator]

    # ----- the sidecar --------------------------------------------------------------------
    def to_data(self, header_hash: str) -> dict[str, Any]:
        return {"format": SIDECAR_FORMAT, "header_hash": header_hash,
                "seats": {seat.name: seat.token for seat in self.seats}}

    def save(self, path: str, header_hash: str) -> None:
        write_atomic(path, self.to_data(header_hash))

    @classmethod
    def load(cls, path: str, session: Any, header_hash: str) -> "SeatBook":
        """The seats of a resumed session: the sidecar's tokens for every seat the scenario has."""
        try:
            data = json.loads(files.read_text(path))
        except (OSError, ValueError) as err:
            raise SeatError(f"{path}: cannot read the seats file: {err}") from None
        if not isinstance(data, dict) or data.get("format") != SIDECAR_FORMAT or not isinstance(data.get("seats"), dict):
            raise SeatError(f"{path}: not a seats file")
        if data.get("header_hash") != header_hash:
            raise SeatError(f"{path}: the seats file belongs to another log (its header hash differs)")
        tokens = data["seats"]
        seats = []
        for county, role in seat_names(session) + [(None, FACILITATOR)]:
            name = f"{county}.{role}" if county else role
            token = tokens.get(name)
            if not isinstance(token, str) or len(token) < 16:
                raise SeatError(f"{path}: no token for seat {name}")
            seats.append(Seat(county, role, token))
        return cls(seats)

    # ----- join links ---------------------------------------------------------------------
    def links(self, base_url: str) -> dict[str, Any]:
        """The seats file shape of docs/server.md: one join link per seat, and the facilitator's."""
        base = base_url.rstrip("/")
        facilitator = self.facilitator
        return {
            "seats": [{"seat": seat.name, "county": seat.county, "role": seat.role, "token": seat.token,
                       "url": f"{base}/join/{seat.token}"} for seat in self.trainees],
            "facilitator": {"token": facilitator.token, "url": f"{base}/join/{facilitator.token}"},
        }


def _token() -> str:
    return secrets.token_urlsafe(24)


def write_atomic(path: str, data: Any) -> None:
    """Write JSON so that a crash leaves the old file or the new one, never half of either; the
    file holds the seats' tokens, so only its owner may read it (0o600)."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    files.write_atomic(path, text, mode=0o600)
