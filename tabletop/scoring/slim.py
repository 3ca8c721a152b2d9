"""What the view keeps of the bulky record kinds: only the fields its readers use.

A national log is mostly messages, field reports and served lines (log format 5: a field
report's message carries its township's stations, a ``distribution_served`` record every
station's lines). Kept whole, a 1,000,000-record log takes several GB as Python dicts. The
reader (:func:`tabletop.scoring.logview._add`) therefore keeps, for the kinds below, only what
the scoring readers read (``comms_facts``, ``distribution_facts``, the comms metrics); every
other kind is kept whole. A reader that needs another field of these kinds adds it here.

- ``message_sent``: ``id``, ``from``, ``to``, ``kind``, ``channel``, and of ``payload`` only its
  ``reason`` (a scheduled report's, :func:`tabletop.scoring.comms_facts._late_sets`);
- ``report_received``: ``county``, ``as_of``, ``from`` (the picture's age);
- ``distribution_served``: ``county`` and ``turn`` in ``data``; the station lines as
  :class:`Served` (each line's (station, good) and its quantity, people and unmet, in log
  order) under the record's ``served`` key, read by
  :func:`tabletop.scoring.distribution_facts._served_pass`.

A record whose fields are not of the expected shapes is kept whole (its readers then see
exactly what was logged).
"""

from __future__ import annotations

from array import array
from typing import Any

#: Fields kept of a ``message_sent``'s data (its payload: see :func:`slim_data`).
MESSAGE_FIELDS = ("channel", "from", "id", "kind", "to")
#: Fields kept of a ``report_received``'s data.
REPORT_FIELDS = ("as_of", "county", "from")
#: A served line's figures, in the order :class:`Served` keeps them.
SERVED_FIGURES = ("quantity", "people", "unmet")


class Served:
    """A ``distribution_served`` record's station lines, compact: ``keys`` [(station, good)] (one
    tuple object per pair for the whole log) and ``figures`` (quantity, people, unmet of each line,
    in the same order; a missing or null figure is 0)."""

    __slots__ = ("keys", "figures")

    def __init__(self, keys: list[tuple[str, str]], figures: array) -> None:
        self.keys = keys
        self.figures = figures


def slim_data(kind: str, data: dict[str, Any], shared: dict[Any, Any]) -> dict[str, Any] | None:
    """The kept data of a ``message_sent`` or ``report_received`` (None: keep it whole), its
    short strings shared through ``shared``."""
    fields = MESSAGE_FIELDS if kind == "message_sent" else REPORT_FIELDS
    kept: dict[str, Any] = {}
    for key in fields:
        if key in data:
            value = data[key]
            kept[key] = shared.setdefault(value, value) if type(value) is str and key != "id" else value
    if kind == "message_sent" and "payload" in data:
        payload = data["payload"]
        if type(payload) is not dict:
            return None
        if "reason" in payload:
            reason = payload["reason"]
            kept["payload"] = {"reason": shared.setdefault(reason, reason) if type(reason) is str else reason}
        else:
            kept["payload"] = {}
    return kept


def slim_served(data: dict[str, Any], shared: dict[Any, Any]) -> tuple[dict[str, Any], Served] | None:
    """A ``distribution_served``'s data without its station lines and the lines as :class:`Served`;
    None (keep it whole) when a station's lines are not {good: {figure: number}}. A figure is read
    as its reader reads it (``float(value or 0)``): null, 0, false and empty values are 0."""
    stations = data.get("stations")
    if type(stations) is not dict:
        return None
    keys: list[tuple[str, str]] = []
    flat: list[Any] = []
    add_key, add = keys.append, flat.extend
    known = shared.setdefault
    try:
        for station, goods in stations.items():
            if type(goods) is not dict:
                return None
            for good, line in goods.items():
                if type(line) is not dict:
                    return None
                pair = (station, good)
                add_key(known(pair, pair))
                add((line.get("quantity") or 0, line.get("people") or 0, line.get("unmet") or 0))
        figures = array("d", flat)  # a figure that is no number (text, a list) raises: kept whole
    except (TypeError, OverflowError):
        return None
    rest = {key: value for key, value in data.items() if key != "stations"}
    return rest, Served(keys, figures)
