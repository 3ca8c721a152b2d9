"""Re-simulation: rebuild a session from a log's header and feed it the logged commands.

Used by ``verify`` (compare every record), by ``run --resume`` (continue where a
log ends) and later by the replay viewer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from tabletop import api
from tabletop.core import canonical
from tabletop.core.session import Record, Session
from tabletop.logfile import check_chain, parse_log


@dataclass
class Verdict:
    ok: bool
    records: int
    bad_seq: int | None = None
    message: str = ""


def resimulate(records: list[Record], on_record: Callable[[Record, Record | None], bool] | None = None) -> tuple[Session, list[Record]]:
    """Feed the logged commands to a session rebuilt from the header.

    Returns the session and every record it produced (header first). The optional
    ``on_record(produced, logged)`` callback may return False to stop early.
    """
    session = api.session_from_header(records[0])
    produced: list[Record] = [records[0]]
    position = 1
    for record in records[1:]:
        if record.get("type") != "command":
            continue
        for made in session.submit(api.command_from_record(record)):
            logged = records[position] if position < len(records) else None
            produced.append(made)
            position += 1
            if on_record is not None and not on_record(made, logged):
                return session, produced
    return session, produced


def verify(path: str) -> Verdict:
    """Check the hash chain and byte-exact encoding, then re-simulate and compare every record."""
    with open(path, "rb") as handle:
        return verify_bytes(handle.read())


def verify_bytes(data: bytes, resimulate_records: bool = True) -> Verdict:
    """:func:`verify` on log bytes; ``resimulate_records=False`` checks encoding and chain only."""
    result = parse_log(data)
    records = result.records
    if not records:
        return Verdict(False, 0, 0, result.error[1] if result.error else "the log is empty")
    for index, (record, line) in enumerate(zip(records, result.lines)):
        if canonical.dumps(record).encode("utf-8") != line:
            return Verdict(False, len(records), record.get("seq", index) if isinstance(record.get("seq"), int) else index,
                           f"record {index} is not in canonical encoding (edited by hand?)")
    broken = check_chain(records)
    if broken is not None:
        return Verdict(False, len(records), broken[0], broken[1])
    if result.error is not None:
        return Verdict(False, len(records), len(records), result.error[1])
    if not resimulate_records:
        return Verdict(True, len(records))
    try:
        first_bad: list[int] = []

        def compare(made: Record, logged: Record | None) -> bool:
            if logged is None or canonical.dumps(made) != canonical.dumps(logged):
                first_bad.append(made["seq"])
                return False
            return True

        _, produced = resimulate(records, compare)
    except api.BadLog as err:
        return Verdict(False, len(records), 0, str(err))
    if first_bad:
        return Verdict(False, len(records), first_bad[0],
                       f"record {first_bad[0]} differs from what re-simulating the logged commands produces")
    if len(produced) != len(records):
        seq = len(produced)
        return Verdict(False, len(records), seq, f"record {seq} is not produced by re-simulation (extra or missing records)")
    return Verdict(True, len(records))


def iter_commands(records: list[Record]) -> Iterator[Record]:
    return (r for r in records if r.get("type") == "command")


def session_at(records: list[Record], seq: int) -> Session:
    """The session as it stood once record ``seq`` was written.

    Commands are atomic, so this is the state after the whole batch (the command and
    its events) that holds ``seq``. Used for "what did each EOC know at that moment".
    """
    session = api.session_from_header(records[0])
    for record in records[1:]:
        if record.get("type") != "command":
            continue
        if record["seq"] > seq:
            break
        session.submit(api.command_from_record(record))
    return session


def known_view_at(records: list[Record], seq: int, county: str) -> dict:
    """A county EOC's known picture at ``seq`` (for the UI and replay)."""
    from tabletop.comms import picture

    return picture.known_view(session_at(records, seq), county)
