"""What a seat may see (fog of war), built on the server and nowhere else.

A seat's payload is built only from what its EOC knows: the role's picture panels (the
parts' ``Plugin.pictures``, which read the EOC's reports, never the truth; which role sees
which panel the parts declare: ``Plugin.panels``), the injects delivered to the seat, the text
messages delivered to its EOC, the command forms with the choices the parts offer the
seat, and the seat's own commands with their outcomes. The truth, other counties' facts
and raw engine events never leave the server to a trainee.

:func:`audience` decides, once per record as it is made, which seats may see it;
:func:`render` turns a visible record into a bilingual line (no raw data).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tabletop import i18n, pictures, plugins
from tabletop.core.parts import PictureRow
from tabletop.server import forms
from tabletop.server.seats import Seat

if TYPE_CHECKING:
    from tabletop.server.room import Room

PUBLIC = "*"
#: Record kinds every seat sees (the exercise's clock, as the room's projector shows it).
PUBLIC_KINDS = ("exercise_state", "turn_started", "phase_started", "clock_started", "clock_paused", "clock_extended",
                "clock_skipped")
EVALUATOR = "evaluator"
#: The evaluation part's records the evaluators see (they read every department's work).
EVALUATOR_KINDS = ("report_submitted", "observation_recorded", "rating_recorded", "feedback_submitted", "ip_item_saved")
#: Inject events shown to the inject's own seat.
INJECT_KINDS = ("inject_delivered", "inject_acknowledged", "inject_state", "expected_action_met",
                "expected_action_missed")


# ----- who sees a record ---------------------------------------------------------------------
def audience(room: "Room", record: dict[str, Any]) -> tuple[str, ...]:
    """Seat names that may see ``record`` (``("*",)`` for every seat); empty: nobody but the facilitator."""
    kind, data = record["kind"], record["data"]
    session = room.session
    if record["type"] == "command":
        return (record["actor"],) if record["actor"] != "facilitator" else ()
    if kind in PUBLIC_KINDS:
        return (PUBLIC,)
    if kind in INJECT_KINDS:
        run = session.injects.get(data.get("inject"))
        if run is None:
            return ()
        return (f"{run.county}.{run.role}" if run.county else run.role, EVALUATOR)
    if kind in EVALUATOR_KINDS:
        own = f"{data['county']}.{data['role']}" if kind == "report_submitted" else data.get("by") or ""
        return tuple(dict.fromkeys((own, EVALUATOR))) if own else (EVALUATOR,)
    if kind == "announcement" and data.get("county"):
        return tuple(room.county_seats(data["county"]))
    if kind == "message_delivered":
        sent = room.messages.get(data.get("id"))
        if sent is None or sent.get("kind") != "text":
            return ()
        to = sent.get("to") or ""
        if to.startswith("eoc:"):
            return tuple(room.county_seats(to[4:]))
        if to == "central":
            return ("central",)
    return ()


def render(room: "Room", record: dict[str, Any]) -> dict[str, Any]:
    """A visible record as a seat reads it: seq, turn, game time, kind and a bilingual line."""
    kind, data = record["kind"], record["data"]
    out: dict[str, Any] = {"seq": record["seq"], "turn": record["turn"], "time": record["time"], "kind": kind,
                           "tone": "text"}
    if record["type"] == "command":
        answer = room.answer_of(record["seq"])
        out.update(kind="command", command=record["kind"], status=answer["status"], rule=answer["rule"],
                   tone="bad" if answer["status"] == "rejected" else "ok")
        label = i18n.label("command", record["kind"])
        if answer["status"] == "rejected":
            out["text"] = i18n.both("server.ev.rejected", kind=label, rule=answer["rule"], reason=answer["reason"])
        else:
            out["text"] = i18n.both("server.ev.accepted", kind=label)
        return out
    if kind == "exercise_state":
        out["text"] = i18n.both("server.ev.exercise_state", to=i18n.label("state", data["to"]))
    elif kind == "turn_started":
        out["text"] = i18n.both("server.ev.turn_started", turn=data["turn"], time=_short(data["time"]))
    elif kind == "phase_started":
        out["text"] = i18n.both("server.ev.phase_started", name=data.get("name") or data.get("phase"))
    elif kind == "inject_delivered":
        out.update(inject=data["inject"], tone="warn",
                   text=i18n.both("server.ev.inject_delivered", title=data["title"]))
    elif kind == "inject_acknowledged":
        out.update(inject=data["inject"], text=i18n.both("server.ev.inject_acknowledged", title=_title(room, data["inject"])))
    elif kind == "inject_state":
        out.update(inject=data["inject"], text=i18n.both("server.ev.inject_state", title=_title(room, data["inject"]),
                                                         state=_inject_state(data["to"])))
    elif kind == "expected_action_met":
        out.update(inject=data["inject"], tone="ok", text=i18n.both("server.ev.action_met", title=_title(room, data["inject"])))
    elif kind == "expected_action_missed":
        out.update(inject=data["inject"], tone="bad", text=i18n.both("server.ev.action_missed", title=_title(room, data["inject"])))
    elif kind in ("clock_started", "clock_paused", "clock_extended", "clock_skipped"):
        out["text"] = i18n.both(f"server.ev.{kind}", segment=i18n.label("segment", data.get("segment") or ""),
                                minutes=data.get("minutes", data.get("by_minutes", "")))
    elif kind == "report_submitted":
        out.update(tone="accent", text=i18n.both("server.ev.report_submitted", version=data["version"],
                                                 by=seat_label(room, f"{data['county']}.{data['role']}")))
    elif kind == "rating_recorded":
        out["text"] = i18n.both("server.ev.rating_recorded", rating=data["rating"],
                                capability=capability_name(room.session, data["capability"]),
                                seat=seat_label(room, f"{data['county']}.{data['role']}" if data.get("role") else data["county"]))
    elif kind in ("observation_recorded", "feedback_submitted", "ip_item_saved"):
        out["text"] = i18n.both(f"server.ev.{kind}", item=data.get("item", ""), version=data.get("version", ""))
    elif kind == "announcement":
        out["text"] = i18n.both("server.ev.announcement", by=seat_label(room, data["by"]),
                                audience=data["audience"], message=data["message"])
    elif kind == "message_delivered":
        sent = room.messages[data["id"]]
        payload = sent.get("payload") or {}
        out.update(tone="accent", text=i18n.both("server.ev.message", id=data["id"],
                                                 by=seat_label(room, payload.get("by") or sent.get("from") or ""),
                                                 body=payload.get("body", "")))
    else:
        out["text"] = {lang: kind for lang in i18n.LANGS}
    return out


def _title(room: "Room", inject: str) -> dict[str, str] | str:
    """An inject's bilingual title (the page shows its id small and grey beside it)."""
    for item in room.session.scenario.injects:
        if item.id == inject:
            return dict(item.title.model_dump())
    return inject


# ----- the seat's payload -------------------------------------------------------------------
def seat_payload(room: "Room", seat: Seat) -> dict[str, Any]:
    """Everything the seat page shows, as JSON, from what the seat's EOC knows."""
    session = room.session
    if seat.is_facilitator:
        return facilitator_payload(room)
    if seat.role == EVALUATOR:
        return evaluator_payload(room, seat)
    inbox = inbox_of(room, seat)
    return {
        "seat": seat_info(room, seat),
        "status": status(room),
        "clock": clock(room),
        "panels": [{"name": name, "title": panel_title(name), "rows": [_row(r) for r in panel_rows(session, seat.county, name)]}
                   for name in panel_names(seat.role)],
        "inbox": inbox,
        "forms": forms.forms(session, seat.county, seat.role, inbox),
        "commands": own_commands(room, seat),
        "reports": own_reports(room, seat),
        "feedback": feedback_form(room, seat),
    }


# ----- the room's clock, reports, evaluators ----------------------------------------------------
def clock(room: "Room") -> dict[str, Any]:
    """The phase clock as every seat shows it: segment, budget, seconds left now (the page counts
    down from there while it runs)."""
    from datetime import datetime

    from tabletop.evaluation import clockview

    data = room.session.query("evaluation.clock")
    if data is None:
        return {"segment": None, "state": "idle", "minutes": 0, "remaining": None, "label": None}
    now = datetime.fromisoformat(room.clock())
    out = clockview.view(data, now)
    out["label"] = i18n.label("segment", out["segment"]) if out["segment"] else None
    return out


def _phase_of(session: Any) -> Any:
    for phase in session.scenario.phases:
        if phase.first_turn <= session.turn <= phase.last_turn:
            return phase
    return None


def own_reports(room: "Room", seat: Seat) -> dict[str, Any]:
    """The seat's response reports, every version, per phase (newest phase first), and the phase
    a new report is for."""
    data = room.session.domain("evaluation")["reports"].get(seat.name, {}) if room.session.has_part("evaluation") else {}
    phase = _phase_of(room.session)
    names = {p.id: p.name.model_dump() for p in room.session.scenario.phases}
    return {"phase": phase.id if phase else None, "phase_name": phase.name.model_dump() if phase else None,
            "fields": [{"name": f, "label": i18n.both(f"evaluation.field.{f}")} for f in REPORT_FIELDS],
            "versions": [{"phase": key, "phase_name": names.get(key), **version}
                         for key in sorted(data, key=lambda k: [p.id for p in room.session.scenario.phases].index(k)
                                           if k in names else 99, reverse=True)
                         for version in reversed(data[key])]}


REPORT_FIELDS = ("situation", "decisions", "resources", "requests", "next_steps", "text")


def all_reports(room: "Room") -> list[dict[str, Any]]:
    """Every department's latest report of each phase, for the evaluators and the facilitator."""
    session = room.session
    if not session.has_part("evaluation"):
        return []
    names = {p.id: p.name.model_dump() for p in session.scenario.phases}
    out = []
    for actor, phases in sorted(session.domain("evaluation")["reports"].items()):
        for phase, versions in phases.items():
            latest = versions[-1]
            out.append({"seat": actor, "title": seat_label(room, actor), "phase": phase, "phase_name": names.get(phase),
                        "version": latest["version"], "versions": len(versions), "turn": latest["turn"],
                        "fields": {f: latest.get(f, "") for f in REPORT_FIELDS}})
    order = [p.id for p in session.scenario.phases]
    out.sort(key=lambda r: (-(order.index(r["phase"]) if r["phase"] in order else -1), r["seat"]))
    return out


def feedback_form(room: "Room", seat: Seat) -> dict[str, Any]:
    """The participant feedback form of the hotwash: open then; the capabilities to comment on
    (the evaluation guide's, else those the scenario's injects tag); what the seat already sent."""
    session = room.session
    section = getattr(session.scenario, "evaluation", None)
    guides = [(g.id, g.name.model_dump()) for g in getattr(section, "capabilities", []) or []]
    if not guides:
        tagged = sorted({e.capability for i in session.scenario.injects for e in i.expected})
        guides = [(c, capability_name(session, c)) for c in tagged]
    sent = [f for f in session.domain("evaluation")["feedback"] if f["by"] == seat.name] \
        if session.has_part("evaluation") else []
    return {"open": session.state == "hotwash", "capabilities": [{"id": i, "name": n} for i, n in guides],
            "sent": len(sent)}


def eeg(room: "Room") -> list[dict[str, Any]]:
    """The evaluation guide of the current phase: capabilities and their tasks."""
    session = room.session
    section = getattr(session.scenario, "evaluation", None)
    phase = _phase_of(session)
    out = []
    for guide in getattr(section, "capabilities", []) or []:
        if guide.phases and (phase is None or phase.id not in guide.phases):
            continue
        out.append({"id": guide.id, "name": guide.name.model_dump(),
                    "tasks": [{"id": t.id, "name": t.name.model_dump()} for t in guide.tasks]})
    return out


def capability_name(session: Any, ident: str) -> dict[str, str]:
    """A capability's name from the evaluation guide, else the scoring table's, else its id."""
    for guide in getattr(getattr(session.scenario, "evaluation", None), "capabilities", []) or []:
        if guide.id == ident:
            return guide.name.model_dump()
    key = f"score.cap.{ident}"
    return i18n.both(key) if key in i18n.TABLE else {lang: ident for lang in i18n.LANGS}


def task_name(session: Any, capability: str, task: str | None) -> dict[str, str] | None:
    if not task:
        return None
    for guide in getattr(getattr(session.scenario, "evaluation", None), "capabilities", []) or []:
        if guide.id == capability:
            for item in guide.tasks:
                if item.id == task:
                    return item.name.model_dump()
    return {lang: task for lang in i18n.LANGS}


def evaluator_payload(room: "Room", seat: Seat) -> dict[str, Any]:
    """An evaluator's page: the clock, the phase's evaluation guide, every department's latest
    report, the injects delivered so far, the rating and observation forms, own ratings."""
    session = room.session
    ratings = [dict(r) for r in session.domain("evaluation")["ratings"]] if session.has_part("evaluation") else []
    for r in ratings:
        r["seat_title"] = seat_label(room, f"{r['county']}.{r['role']}" if r.get("role") else r["county"])
        r["capability_name"] = capability_name(session, r["capability"])
        r["task_name"] = task_name(session, r["capability"], r.get("task"))
    delivered = [{"id": run.id, "seat": seat_label(room, f"{run.county}.{run.role}"), "title": session.inject_specs[run.id].title.model_dump(),
                  "state": run.state, "state_label": _inject_state(run.state), "turn": run.delivered_turn}
                 for run in sorted(session.injects.values(), key=lambda r: r.order) if run.delivered_turn is not None]
    return {
        "seat": seat_info(room, seat),
        "status": status(room),
        "clock": clock(room),
        "evaluator": True,
        "eeg": eeg(room),
        "reports": all_reports(room),
        "ratings": list(reversed(ratings)),
        "delivered": delivered,
        "panels": [],
        "inbox": [],
        "forms": forms.forms(session, None, EVALUATOR, []),
        "commands": own_commands(room, seat),
    }


def seat_info(room: "Room", seat: Seat) -> dict[str, Any]:
    participants = (room.records[0]["data"].get("participants") or {}) if room.records else {}
    officer = (participants.get(seat.county) or {}).get(seat.role) if seat.county else participants.get(seat.role)
    return {"name": seat.name, "county": seat.county, "role": seat.role, "title": seat_label(room, seat.name),
            "officer": officer, "scenario": _scenario_title(room)}


def status(room: "Room") -> dict[str, Any]:
    session = room.session
    return {"seq": room.durable_seq, "turn": session.turn, "turns": session.clock.turns, "state": session.state,
            "state_label": i18n.label("state", session.state), "phase": session.phase, "time": session.time(),
            "time_short": _short(session.time())}


def inbox_of(room: "Room", seat: Seat) -> list[dict[str, Any]]:
    """Injects delivered to this seat and text messages delivered to its EOC, newest first."""
    session = room.session
    items: list[dict[str, Any]] = []
    for run in session.injects.values():
        if run.county == seat.county and run.role == seat.role and run.delivered_turn is not None:
            spec = session.inject_specs[run.id]
            deadline = min(((run.delivered_turn or 0) + e.within_turns - 1 for e in spec.expected), default=None)
            items.append({"type": "inject", "id": run.id, "state": run.state, "state_label": _inject_state(run.state),
                          "turn": run.delivered_turn, "title": spec.title.model_dump(), "text": spec.text.model_dump(),
                          "deadline": deadline, "order": run.order})
    for seq in room.inbox_messages(seat):
        sent = room.messages_by_seq[seq]
        payload = sent.get("payload") or {}
        items.append({"type": "message", "id": sent["id"], "turn": room.records[seq]["turn"],
                      "from": seat_label(room, payload.get("by") or sent.get("from") or ""),
                      "body": payload.get("body", ""), "order": seq})
    items.sort(key=lambda item: (-item["turn"], item["type"] != "inject", item["order"]))
    return items


def own_commands(room: "Room", seat: Seat, limit: int = 50) -> list[dict[str, Any]]:
    """The seat's own commands, newest first, each with its outcome and rendered reason."""
    out = []
    for seq in reversed(room.commands_of(seat.name)[-limit:]):
        record = room.records[seq]
        answer = room.answer_of(seq)
        out.append({"seq": seq, "turn": record["turn"], "kind": record["kind"], "label": i18n.label("command", record["kind"]),
                    "args": record["data"]["args"], "status": answer["status"], "rule": answer["rule"],
                    "reason": answer["reason"]})
    return out


def facilitator_payload(room: "Room") -> dict[str, Any]:
    """The facilitator's page: status, lifecycle controls, the seats and who is connected, the MSEL."""
    session = room.session
    seat = room.book.facilitator
    controls = [kind for kind, spec in session.registry.items() if spec.trigger is not None]
    return {
        "seat": seat_info(room, seat),
        "status": status(room),
        "clock": clock(room),
        "reports": all_reports(room),
        "controls": [{"kind": kind, "label": i18n.label("command", kind), "enabled": session.lifecycle.can(kind)}
                     for kind in controls],
        "seats": [{"seat": s.name, "title": seat_label(room, s.name), "connected": room.connected.get(s.name, 0)}
                  for s in room.book.trainees],
        "msel": [{"id": run.id, "seat": f"{run.county}.{run.role}" if run.county else run.role, "state": run.state,
                  "state_label": _inject_state(run.state), "due_turn": run.due_turn,
                  "title": session.inject_specs[run.id].title.model_dump()}
                 for run in sorted(session.injects.values(), key=lambda r: r.order)],
        "forms": forms.forms(session, None, "facilitator", []),
        "commands": own_commands(room, seat),
    }


# ----- pictures -------------------------------------------------------------------------------
def panel_names(role: str) -> list[str]:
    """The panels this role sees, in its order (declared by the parts: ``Plugin.panels``)."""
    return pictures.panel_names(plugins.parts(), role, forms.ui_table().get("no_panels") or ())


def panel_title(name: str) -> dict[str, str]:
    key = f"ui.panel.{name}"
    return i18n.both(key) if key in i18n.TABLE else {lang: name for lang in i18n.LANGS}


def panel_rows(session: Any, county: str | None, name: str) -> list[PictureRow]:
    """One panel's rows for a county's EOC; for the central seat, every county's in turn."""
    fn = session.parts.pictures[name]
    if county:
        return list(fn(session, county))
    rows: list[PictureRow] = []
    for spec in session.scenario.counties:
        part = list(fn(session, spec.id))
        if part:
            rows.append(PictureRow(spec.name.model_dump(), "accent"))
            rows.extend(part)
    return rows


# ----- names ------------------------------------------------------------------------------------
def seat_label(room: "Room", actor: str) -> dict[str, str]:
    """``hualien.supply`` -> 花蓮縣 民生物資（經濟）; a node ``eoc:hualien`` -> 花蓮縣 EOC; else as it is."""
    session = room.session
    county, _, role = actor.partition(".")
    if role and county in session.counties:
        name = session.counties[county].name.model_dump()
        role_name = i18n.label("role", role)
        return {lang: f"{name[lang]} {i18n.pick(role_name, lang)}" for lang in i18n.LANGS}
    if actor.startswith("eoc:") and actor[4:] in session.counties:
        name = session.counties[actor[4:]].name.model_dump()
        return {lang: f"{name[lang]} EOC" for lang in i18n.LANGS}
    found = i18n.label("role", actor)
    return found if isinstance(found, dict) else {lang: actor for lang in i18n.LANGS}


def _scenario_title(room: "Room") -> dict[str, str]:
    title = getattr(room.session.scenario.scenario, "title", None) or getattr(room.session.scenario.scenario, "name", None)
    if title is None:
        return {lang: room.session.scenario.scenario.id for lang in i18n.LANGS}
    return title.model_dump() if hasattr(title, "model_dump") else {lang: str(title) for lang in i18n.LANGS}


def _inject_state(state: str) -> dict[str, str]:
    key = f"ui.inject_state.{state}"
    return i18n.both(key) if key in i18n.TABLE else {lang: state for lang in i18n.LANGS}


def _row(row: PictureRow) -> dict[str, Any]:
    return {"text": row.text, "tone": row.tone}


def _short(iso: str) -> str:
    return f"{iso[5:10]} {iso[11:16]}" if len(iso) >= 16 else iso
