"""The AAR's sections from the room and its evaluators: evaluator ratings beside the automatic
ones (disagreement flagged) and how they combine, observations, responsiveness in real minutes
per phase (charted), response reports per phase and department (every version), participant
feedback, and the improvement plan as saved with ``ip_item``."""

from __future__ import annotations

from typing import Any

from tabletop import i18n
from tabletop.scoring import charts, names, text
from tabletop.scoring.names import Named
from tabletop.scoring.blocks import Block
from tabletop.scoring.view import LogView

REPORT_FIELDS = ("situation", "decisions", "resources", "requests", "next_steps", "text")


def _t(lang: str):
    return lambda key, **kw: i18n.t(key, lang, **kw)


def _clock(wall: str | None, turn: int, lang: str) -> str:
    """``T3 06:14`` (the turn and the room's clock time), ``T3`` without a stamp."""
    if not wall:
        return f"T{turn}"
    return f"T{turn} {wall[11:16]}"


def _phase_name(view: LogView, phase: str | None, lang: str) -> str:
    for spec in view.scenario.phases:
        if spec.id == phase:
            return i18n.pick(spec.name.model_dump(), lang)
    return phase or "-"


def _cap(view: LogView, ident: str, lang: str) -> str:
    section = getattr(view.scenario, "evaluation", None)
    for guide in getattr(section, "capabilities", []) or []:
        if guide.id == ident:
            return i18n.pick(guide.name.model_dump(), lang)
    return text.cap_label(ident, lang, None)


def _task(view: LogView, capability: str, task: str | None, lang: str) -> str:
    if not task:
        return ""
    section = getattr(view.scenario, "evaluation", None)
    for guide in getattr(section, "capabilities", []) or []:
        if guide.id == capability:
            for item in guide.tasks:
                if item.id == task:
                    return i18n.pick(item.name.model_dump(), lang)
    return task


def _seat(view: LogView, county: str | None, role: str | None, lang: str) -> str:
    if county and role:
        return names.seat(view, f"{county}.{role}", lang)
    if county:
        return names.county(view, county, lang)
    return names.role(role, lang)


def evaluator_blocks(view: LogView, doc: dict[str, Any], lang: str) -> list[Block]:
    t = _t(lang)
    section = doc.get("evaluation") or {}
    ratings = section.get("ratings") or []
    blocks = [Block("h2", t("report.eval.title"), css="evaluators")]
    if not ratings:
        return blocks + [Block("note", t("report.eval.none"))]
    rows = []
    for r in ratings:
        flag = t("report.eval.disagree", distance=r["distance"]) if r["disagree"] else ""
        rows.append([_clock(r["wall"], r["turn"], lang), _phase_name(view, r["phase"], lang),
                     Named(_seat(view, r["county"], r["role"], lang), f"{r['county']}.{r['role']}" if r["role"] else r["county"], quiet=True),
                     Named(_cap(view, r["capability"], lang), r["capability"], quiet=True),
                     _task(view, r["capability"], r["task"], lang), r["rating"], r["automatic"] or "-", flag,
                     r["rationale"]])
    head = [t(f"report.eval.col.{c}") for c in ("when", "phase", "seat", "capability", "task", "evaluator",
                                                  "automatic", "flag", "rationale")]
    blocks.append(Block("table", headers=head, rows=rows, css="ratings evaluators"))
    blocks.append(Block("note", t("report.eval.note")))
    caps = []
    for name, cap in section.get("capabilities", {}).items():
        if not cap["evaluator"]["n"]:
            continue
        caps.append([Named(_cap(view, name, lang), name, quiet=True),
                     cap["automatic"]["rating"] or "-", text.fmt_score(cap["automatic"]["score"]),
                     cap["evaluator"]["rating"] or "-", f"{text.fmt_score(cap['evaluator']['score'])} (n={cap['evaluator']['n']})",
                     cap["combined"]["rating"] or "-", text.fmt_score(cap["combined"]["score"]),
                     t("report.eval.disagree_short") if cap["disagree"] else ""])
    if caps:
        head = [t(f"report.eval.col.{c}") for c in ("capability", "automatic", "automatic_score", "evaluator",
                                                      "evaluator_score", "combined", "combined_score", "flag")]
        blocks.append(Block("table", headers=head, rows=caps, css="ratings"))
    combined = section.get("combined") or {}
    if combined.get("score") is not None:
        blocks.append(Block("p", t("report.eval.combined", score=text.fmt_score(combined["score"]),
                                   rating=combined["rating"], automatic=text.fmt_score(doc["overall"]["score"]),
                                   automatic_rating=doc["overall"]["rating"] or "-")))
    observations = section.get("observations") or []
    if observations:
        blocks.append(Block("p", t("report.eval.observations")))
        blocks.append(Block("table", headers=[t(f"report.eval.col.{c}") for c in ("when", "seat", "capability", "task", "inject", "text")],
                            rows=[[_clock(o["wall"], o["turn"], lang), _seat(view, o["county"], o.get("role"), lang),
                                   Named(_cap(view, o["capability"], lang), o["capability"], quiet=True),
                                   _task(view, o["capability"], o.get("task"), lang), o.get("inject") or "", o["text"]]
                                  for o in observations], css="compact"))
    return blocks


def room_blocks(view: LogView, doc: dict[str, Any], lang: str) -> list[Block]:
    t = _t(lang)
    room = doc.get("room") or {}
    phases = room.get("phases") or []
    blocks = [Block("h2", t("report.room.title"))]
    if not phases:
        return blocks + [Block("note", t("report.room.none"))]
    limits = room["thresholds"]
    groups = []
    rows = []
    for phase in phases:
        name = _phase_name(view, phase["phase"], lang)
        bars = []
        for key in ("acknowledge", "first_action"):
            m = phase.get(key)
            bars.append((None, False) if m is None else (m["median_min"], bool(m["not_reached"])))
        groups.append((name, bars))
        rows.append([name, t("report.room.all")] + _cells(phase, lang))
        for role, block in phase["roles"].items():
            rows.append(["", names.role(role, lang)] + _cells(block, lang))
    svg = charts.grouped_bars(t("report.room.title"), groups, [t("report.room.ack"), t("report.room.first")],
                              [tuple(limits["acknowledge"]), tuple(limits["first_action"])], t("report.room.minutes"))
    blocks.append(Block("chart", text=t("report.room.chart_note"), svg=svg))
    head = [t(f"report.room.col.{c}") for c in ("phase", "department", "ack", "ack_rating", "first", "first_rating")]
    blocks.append(Block("table", headers=head, rows=rows, css="ratings"))
    blocks.append(Block("note", t("report.room.note", ack="/".join(f"{x:g}" for x in limits["acknowledge"]),
                                  first="/".join(f"{x:g}" for x in limits["first_action"]))))
    return blocks


def _cells(block: dict[str, Any], lang: str) -> list[str]:
    out = []
    for key in ("acknowledge", "first_action"):
        m = block.get(key)
        if m is None:
            out += ["-", ""]
            continue
        value = (i18n.t("report.room.not_reached", lang, horizon=f"{m['horizon_min']:.0f}") if m["not_reached"]
                 else f"{m['median_min']:.0f}")
        out += [f"{value} (n={m['n']}, {i18n.t('report.room.censored', lang, n=m['censored'])})", m["rating"] or ""]
    return out


def reports_blocks(view: LogView, doc: dict[str, Any], lang: str) -> list[Block]:
    t = _t(lang)
    reports = (doc.get("evaluation") or {}).get("reports") or []
    blocks = [Block("h2", t("report.reports.title"))]
    if not reports:
        return blocks + [Block("note", t("report.reports.none"))]
    head = [t("report.eval.col.seat"), t("report.reports.version"), t("report.eval.col.when")] + [
        t(f"evaluation.field.{f}") for f in REPORT_FIELDS]
    order = {p.id: i for i, p in enumerate(view.scenario.phases)}
    for phase in sorted({r["phase"] for r in reports}, key=lambda p: order.get(p, 99)):
        blocks.append(Block("p", _phase_name(view, phase, lang)))
        rows = [[_seat(view, r["county"], r["role"], lang), f"v{r['version']}", _clock(r["wall"], r["turn"], lang)]
                + [r["fields"].get(f, "") for f in REPORT_FIELDS]
                for r in sorted((r for r in reports if r["phase"] == phase), key=lambda r: (r["role"], r["version"]))]
        blocks.append(Block("table", headers=head, rows=rows, css="compact"))
    return blocks


def feedback_blocks(view: LogView, doc: dict[str, Any], lang: str) -> list[Block]:
    t = _t(lang)
    feedback = (doc.get("evaluation") or {}).get("feedback") or []
    blocks = [Block("h2", t("report.feedback.title"))]
    if not feedback:
        return blocks + [Block("note", t("report.feedback.none"))]
    rows = []
    for item in feedback:
        fields = item["fields"]
        improvements = text.semi_sep(lang).join(f"{_cap(view, cap, lang)}{text.colon(lang)}{note}"
                                                for cap, note in sorted(fields.get("improvements", {}).items()))
        head, _, tail = item["by"].partition(".")
        seat = names.seat(view, item["by"], lang) if tail else names.role(head, lang)
        rows.append([seat, fields.get("strengths", ""), improvements, fields.get("text", "")])
    blocks.append(Block("table", headers=[t("report.eval.col.seat"), t("evaluation.field.strengths"),
                                          t("evaluation.field.improvements"), t("evaluation.field.text")],
                        rows=rows, css="compact"))
    return blocks


def plan_blocks(view: LogView | None, doc: dict[str, Any], areas: list[dict[str, Any]], lang: str) -> list[Block]:
    """The improvement plan: the items saved with ``ip_item`` (last version of each), then the
    engine's suggestions from the areas for improvement. Nothing here is edited in the page:
    items are edited in the console or an evaluator seat, and saved in the log."""
    t = _t(lang)
    headers = [t(f"report.col.{c}") for c in ("capability", "area", "action", "role", "due")] + [t("report.plan.col.source")]
    rows = []
    for item in (doc.get("evaluation") or {}).get("improvement_plan") or []:
        by = item.get("by") or ""
        rows.append([Named(_cap(view, item["capability"], lang) if view else item["capability"], item["capability"], quiet=True),
                     item["issue"], item["corrective_action"], item["owner"], item["due"],
                     t("report.plan.saved", item=item["item"], version=item["version"], by=names.role(by, lang))])
    for a in areas:
        rows.append([Named(a["capability"], a["capability_id"], quiet=True) if a.get("capability_id") else a["capability"],
                     a["text"], a["action"], a["roles"], "", t("report.plan.suggested")])
    if not rows:
        rows = [["", "", "", "", "", ""]]
    return [Block("h2", t("report.plan")), Block("note", t("report.plan_note")),
            Block("table", headers=headers, rows=rows, css="plan")]
