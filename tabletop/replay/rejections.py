"""The facilitator's list of refusals: every command a session refused, with its seat, turn,
rule and reason, read from the log alone (``run_exercise.py rejections LOG``) or from the
records a console holds.

A refusal is a ``command`` record followed by the ``command_rejected`` event that names it
(``data.command`` = the command's seq); the reason is rendered from the event's key and
parameters through the translation table, never stored as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from tabletop import i18n
from tabletop.scenario.names import StationLog


@dataclass(frozen=True)
class Refusal:
    seq: int  #: the refused command's seq
    turn: int
    time: str
    county: str | None
    role: str
    kind: str
    rule: str
    key: str | None
    params: dict[str, Any] = field(default_factory=dict)
    args: dict[str, Any] = field(default_factory=dict)
    #: logs of format 1 stored the reason's text itself
    reason_text: Any = None
    #: the reason's parameters as shown: station ids replaced by the stations' names (never logged)
    shown: dict[str, Any] | None = None

    def reason(self, lang: str) -> str:
        if self.key:
            return i18n.render(self.key, self.params if self.shown is None else self.shown, lang)
        return i18n.pick(self.reason_text, lang)

    def seat(self, lang: str, names: dict[str, dict[str, str]] | None = None) -> str:
        role = i18n.t(f"role.{self.role}", lang) if f"role.{self.role}" in i18n.TABLE else self.role
        if not self.county:
            return role
        county = i18n.pick((names or {}).get(self.county), lang) or self.county
        return f"{county} {role}"

    def command(self, lang: str) -> str:
        key = f"command.{self.kind}"
        return i18n.t(key, lang) if key in i18n.TABLE else self.kind

    def to_data(self, lang: str, names: dict[str, dict[str, str]] | None = None) -> dict[str, Any]:
        return {"seq": self.seq, "turn": self.turn, "time": self.time, "county": self.county, "role": self.role,
                "seat": self.seat(lang, names), "kind": self.kind, "command": self.command(lang), "rule": self.rule,
                "reason": self.reason(lang), "args": self.args}


class Collector:
    """Fed records in log order; keeps each command until its outcome is known, and only refusals."""

    def __init__(self, scenario: Any = None) -> None:
        self.refusals: list[Refusal] = []
        self._pending: dict[int, dict[str, Any]] = {}
        self.names: dict[str, dict[str, str]] = {}
        #: the stations opened so far, to name them in reasons
        self.stations = StationLog(scenario)

    def feed(self, record: dict[str, Any]) -> None:
        kind = record.get("type")
        self.stations.feed(record)
        if kind == "header":
            self.names = county_names(record)
            if self.stations.scenario is None:
                self.stations.scenario = _scenario(record)
        elif kind == "command":
            self._pending = {record["seq"]: record}  # a command's outcome follows it before the next command
        elif record.get("kind") == "command_rejected":
            data = record.get("data") or {}
            command = self._pending.pop(int(data.get("command") or -1), None) or {}
            cdata = command.get("data") or {}
            actor = str(command.get("actor") or "")
            county, _, role = actor.partition(".") if "." in actor else (None, "", actor)
            self.refusals.append(Refusal(
                seq=int(data.get("command", record.get("seq", 0))), turn=int(command.get("turn", record.get("turn", 0)) or 0),
                time=str(command.get("time", record.get("time", ""))), county=cdata.get("county", county),
                role=str(cdata.get("role") or role), kind=str(data.get("kind") or command.get("kind") or ""),
                rule=str(data.get("rule", "")), key=data.get("key"), params=dict(data.get("params") or {}),
                args=dict(cdata.get("args") or {}), reason_text=data.get("reason"),
                shown=self.stations.named(data.get("params") or {})))


def _scenario(header: dict[str, Any]) -> Any:
    """The scenario a header carries, or None where it does not read (names fall back to ids)."""
    from tabletop.api import scenario_from_header
    from tabletop.logfile import BadLog

    try:
        return scenario_from_header(header)
    except (BadLog, ValueError, KeyError, TypeError):
        return None


def county_names(header: dict[str, Any]) -> dict[str, dict[str, str]]:
    """County id -> its bilingual name, from the scenario text the header carries (best effort)."""
    from tabletop.scenario.yamlnodes import load_located

    content = ((header.get("data") or {}).get("scenario") or {}).get("content")
    if not isinstance(content, str):
        return {}
    doc, _ = load_located(content, "<header>")
    counties = doc.value.get("counties") if doc is not None and isinstance(doc.value, dict) else None
    out = {}
    for county in counties if isinstance(counties, list) else []:
        if isinstance(county, dict) and isinstance(county.get("id"), str) and isinstance(county.get("name"), dict):
            out[county["id"]] = county["name"]
    return out


def refusals(records: Iterable[dict[str, Any]], scenario: Any = None) -> tuple[list[Refusal], dict[str, dict[str, str]]]:
    """Every refusal in ``records`` (in log order) and the counties' names (``scenario``: the
    session's, else read from the header)."""
    collector = Collector(scenario)
    for record in records:
        collector.feed(record)
    return collector.refusals, collector.names


def by_rule(found: list[Refusal]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for refusal in found:
        counts[refusal.rule] = counts.get(refusal.rule, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def lines(found: list[Refusal], lang: str, names: dict[str, dict[str, str]] | None = None) -> list[str]:
    """The list as text lines: one per refusal, then a summary by rule."""
    out = [i18n.t("rejections.header", lang)]
    for refusal in found:
        out.append(i18n.t("rejections.line", lang, seq=refusal.seq, turn=refusal.turn, seat=refusal.seat(lang, names),
                          command=refusal.command(lang), kind=_kind(refusal, lang), rule=refusal.rule,
                          reason=refusal.reason(lang)))
    rules = ("、" if lang == "zh_TW" else ", ").join(f"{rule} {count}" for rule, count in by_rule(found).items())
    out.append(i18n.t("rejections.summary", lang, count=len(found), rules=rules or "—"))
    return out


def _kind(refusal: Refusal, lang: str) -> str:
    """The kind beside its name (as typed in actions files), unless the name is the kind."""
    if refusal.command(lang) == refusal.kind:
        return ""
    return f"（{refusal.kind}）" if lang == "zh_TW" else f" ({refusal.kind})"
