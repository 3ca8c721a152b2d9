"""Drawing the replay viewer: top bar, integrity banner, map, picture, score, notes, events, timeline.

Reads the :class:`~tabletop.ui.replay.viewer.Viewer` and its session; changes nothing.
Returns the clickable buttons as (rect, action) for the viewer's input handling.
"""

from __future__ import annotations

from typing import Any

import pygame

from tabletop import i18n
from tabletop.comms import picture
from tabletop.ui import gfx
from tabletop.ui.describe import county_name, describe, node_name, short_time, state_name
from tabletop.ui.facilitator import current_phase

W, H = gfx.SIZE
BANNER = pygame.Rect(0, 64, W, 30)
MAP = pygame.Rect(8, 100, 520, 430)
PICTURE = pygame.Rect(8, 536, 520, 132)
SCORE = pygame.Rect(536, 100, 340, 214)
NOTES = pygame.Rect(536, 320, 340, 120)
RECORD = pygame.Rect(536, 446, 340, 222)
EVENTS = pygame.Rect(884, 100, 388, 568)
SLIDER = pygame.Rect(16, 680, W - 32, 34)
MARK_COLOURS = {"inject": gfx.WARN, "rejection": gfx.BAD, "alert": (255, 140, 60), "rating": (190, 120, 255),
                "note": gfx.ACCENT}
RATING_COLOURS = {"P": gfx.OK, "S": (170, 210, 90), "M": gfx.WARN, "U": gfx.BAD}

#: Replay speeds, records per second while playing.
SPEEDS = (1, 2, 5, 10, 25, 100, 500, 2500)


def draw(target: pygame.Surface, viewer: Any) -> list[tuple[pygame.Rect, str]]:
    lang = viewer.lang
    target.fill(gfx.BG)
    _top(target, viewer, lang)
    _banner(target, viewer, lang)
    viewer.map.draw(target, lang)
    if viewer.view.startswith("eoc:"):
        _known_overlay(target, viewer, viewer.view[4:], lang)
    _picture(target, viewer, lang)
    _score(target, viewer, lang)
    _notes(target, viewer, lang)
    _record(target, viewer, lang)
    buttons = _events(target, viewer, lang)
    _slider(target, viewer)
    buttons += _controls(target, viewer, lang)
    if viewer.message:
        gfx.blit(target, viewer.message, (16, 660), 15, gfx.WARN, W - 32)
    return buttons


def slider_seq(x: int, count: int) -> int:
    inner = SLIDER.inflate(-16, 0)
    frac = min(1.0, max(0.0, (x - inner.x) / max(1, inner.width)))
    return round(frac * max(0, count - 1))


def _x(seq: int, total: int) -> int:
    inner = SLIDER.inflate(-16, 0)
    return inner.x + round(inner.width * seq / max(1, total - 1))


# ----- top -------------------------------------------------------------------------------------
def _top(target: pygame.Surface, viewer: Any, lang: str) -> None:
    session, replay = viewer.session, viewer.replay
    pygame.draw.rect(target, (12, 16, 22), (0, 0, W, 64))
    title = i18n.t("replay.title", lang, title=i18n.pick(session.scenario.scenario.title.model_dump(), lang))
    gfx.blit(target, title, (12, 4), 20, gfx.TEXT, 760)
    turn = i18n.t("ui.turn_clock", lang, turn=session.turn, turns=session.clock.turns)
    x = 12
    for value, colour in ((turn, gfx.WARN), (short_time(session.time()), gfx.TEXT),
                          (i18n.t("ui.state", lang, state=state_name(session.state, lang)), gfx.ACCENT),
                          (i18n.t("ui.phase", lang, phase=current_phase(session, lang)), gfx.TEXT),
                          (i18n.t("replay.position", lang, seq=viewer.seq, last=replay.count - 1), gfx.DIM)):
        x += gfx.blit(target, value, (x, 34), 18, colour) + 20
    if viewer.view == "truth":
        badge, colour = i18n.t("ui.view_truth", lang), (60, 110, 70)
    else:
        badge = i18n.t("replay.view_eoc", lang, county=county_name(session, viewer.view[4:], lang))
        colour = (120, 90, 40)
    w = gfx.text(badge, 18).get_width() + 20
    pygame.draw.rect(target, colour, (W - w - 12, 8, w, 30), border_radius=6)
    gfx.blit(target, badge, (W - w - 2, 11), 18)
    ro = i18n.t("replay.read_only", lang)
    gfx.blit(target, ro, (W - 12 - gfx.text(ro, 14).get_width(), 44), 14, gfx.DIM)


def _banner(target: pygame.Surface, viewer: Any, lang: str) -> None:
    integrity = viewer.replay.integrity
    if integrity.ok:
        text = i18n.t("replay.banner_ok", lang, records=viewer.replay.count)
        gfx.blit(target, text, (12, BANNER.y + 6), 15, gfx.DIM, W - 24)
        return
    pygame.draw.rect(target, (120, 24, 24), BANNER)
    text = i18n.t("replay.banner_bad", lang, problem=i18n.t(f"replay.problem.{integrity.problem}", lang),
                  seq=integrity.bad_seq, last=viewer.replay.count - 1)
    gfx.blit(target, text, (12, BANNER.y + 4), 17, gfx.TEXT, W - 24)


# ----- map overlay and picture --------------------------------------------------------------------
def _known_overlay(target: pygame.Surface, viewer: Any, county: str, lang: str) -> None:
    """On the EOC view, ring what the EOC knows (colour = age) and cross out what it does not."""
    session = viewer.session
    if not session.has_part("comms"):
        return
    known = picture.known_view(session, county)
    for node in picture.field_nodes(session, county):
        xy = viewer.map.node_xy(node)
        if xy is None:
            continue
        seen = known.get(node)
        if seen is None:
            pygame.draw.line(target, gfx.BAD, (xy[0] - 6, xy[1] - 6), (xy[0] + 6, xy[1] + 6), 2)
            pygame.draw.line(target, gfx.BAD, (xy[0] - 6, xy[1] + 6), (xy[0] + 6, xy[1] - 6), 2)
            continue
        age = session.turn - seen.get("as_of", 0)
        colour = gfx.OK if age <= 1 else gfx.WARN if age <= 3 else gfx.BAD
        pygame.draw.circle(target, colour, xy, 12, 2)
    box = pygame.Rect(MAP.x + 6, MAP.bottom - 30, MAP.width - 12, 24)
    pygame.draw.rect(target, (70, 52, 20), box, border_radius=4)
    gfx.blit(target, i18n.t("replay.known_legend", lang), (box.x + 6, box.y + 2), 15, gfx.TEXT, box.width - 12)


def _picture(target: pygame.Surface, viewer: Any, lang: str) -> None:
    session = viewer.session
    if viewer.view.startswith("eoc:"):
        county = viewer.view[4:]
        y = gfx.panel(target, PICTURE, i18n.t("replay.picture_eoc", lang, county=county_name(session, county, lang)))
        if not session.has_part("comms"):
            gfx.blit(target, i18n.t("replay.no_comms", lang), (PICTURE.x + 10, y), 16, gfx.DIM, PICTURE.width - 20)
            return
        gap = picture.difference(session, county)
        known = picture.known_view(session, county)
        missing = sum(1 for v in gap.values() if v.get("missing"))
        wrong = len(gap) - missing
        oldest = max((session.turn - n.get("as_of", 0) for n in known.values()), default=0)
        gfx.blit(target, i18n.t("replay.picture_summary", lang, known=len(known), missing=missing, wrong=wrong, oldest=oldest),
                 (PICTURE.x + 10, y), 16, gfx.TEXT, PICTURE.width - 20)
        lines = []
        sep = "、" if lang == "zh_TW" else ", "
        for node, item in list(gap.items())[:3]:
            facts = sep.join(i18n.t("replay.fact_gap", lang, fact=_fact(k, lang), known=_value(v["known"], lang),
                                    truth=_value(v["truth"], lang))
                             for k, v in sorted((item.get("facts") or {}).items()))
            where = node_name(session, node, lang)
            lines.append(i18n.t("replay.gap_line", lang, node=where,
                                what=i18n.t("replay.unknown", lang) if item.get("missing") else facts))
        for i, line in enumerate(lines):
            gfx.blit(target, line, (PICTURE.x + 10, y + 24 + i * 22), 15, gfx.WARN, PICTURE.width - 20)
        return
    y = gfx.panel(target, PICTURE, i18n.t("replay.picture_truth", lang))
    county = session.scenario.counties[0].id if len(session.scenario.counties) == 1 else None
    if county is not None:
        goods = {g.id: g for g in session.scenario.goods}
        cells = list(viewer.console.county_days(county).items())
        cw = (PICTURE.width - 20) // 3
        gfx.blit(target, i18n.t("ui.supply_title", lang), (PICTURE.x + 10, y - 4), 15, gfx.DIM)
        for i, (good, days) in enumerate(cells[:6]):
            colour = gfx.OK if days >= 14 else gfx.WARN if days >= 5 else gfx.BAD
            gfx.blit(target, f"{i18n.pick(goods[good].name.model_dump(), lang)} {days:.0f}",
                     (PICTURE.x + 10 + (i % 3) * cw, y + 18 + (i // 3) * 24), 16, colour, cw - 8)
        return
    for i, (name, text) in enumerate(viewer.console.domain_summaries()[:4]):
        gfx.blit(target, f"{name}: {text}", (PICTURE.x + 10, y + i * 22), 15, gfx.DIM, PICTURE.width - 20)


# ----- score, notes, record ------------------------------------------------------------------------
def _score(target: pygame.Surface, viewer: Any, lang: str) -> None:
    viewer.score_pending = False
    score = viewer.score()
    title = i18n.t("replay.score_title", lang)
    if viewer.score_pending:
        title += " " + i18n.t("replay.score_pending", lang)
    y = gfx.panel(target, SCORE, title)
    if score is None:
        key = "replay.score_pending" if viewer.score_pending else "replay.no_score"
        gfx.blit(target, i18n.t(key, lang), (SCORE.x + 10, y), 16, gfx.DIM, SCORE.width - 20)
        return
    overall = score.get("score")
    rating = score.get("rating") or "—"
    head = i18n.t("replay.score_overall", lang, score="—" if overall is None else f"{overall:.0f}", rating=rating)
    gfx.blit(target, head, (SCORE.x + 10, y), 19, RATING_COLOURS.get(rating, gfx.TEXT), SCORE.width - 20)
    y += 28
    for name, cap in score["capabilities"].items():
        if y > SCORE.bottom - 22:
            break
        rating = cap.get("rating")
        if rating is None:
            continue
        label = i18n.t(f"score.cap.{name}", lang) if f"score.cap.{name}" in i18n.TABLE else name
        gfx.blit(target, f"{rating}  {label}", (SCORE.x + 14, y), 15, RATING_COLOURS.get(rating, gfx.TEXT), SCORE.width - 24)
        y += 20


def _notes(target: pygame.Surface, viewer: Any, lang: str) -> None:
    notes = viewer.notes
    y = gfx.panel(target, NOTES, i18n.t("replay.notes_panel", lang, count=len(notes.items)))
    if notes.problem:
        gfx.blit(target, notes.problem, (NOTES.x + 10, y), 14, gfx.BAD, NOTES.width - 20)
        return
    here = notes.at(viewer.seq)
    shown = here or [n for n in notes.items if n.seq <= viewer.seq][-3:]
    for i, note in enumerate(shown[:3]):
        colour = gfx.ACCENT if note.seq == viewer.seq else gfx.DIM
        text = f"#{note.seq} " + (note.text or i18n.t("replay.note_bookmark", lang))
        gfx.blit(target, text, (NOTES.x + 10, y + i * 22), 15, colour, NOTES.width - 20)


def _record(target: pygame.Surface, viewer: Any, lang: str) -> None:
    record = viewer.replay.record(viewer.seq)
    y = gfx.panel(target, RECORD, i18n.t("replay.record_title", lang, seq=viewer.seq, type=record["type"]))
    session = viewer.session
    text = i18n.t("replay.header_record", lang) if record["type"] == "header" else describe(session, record, lang)
    lines = gfx.wrap(f"T{record['turn']} {short_time(record['time'])}  {text}", 16, RECORD.width - 20)
    for line in lines[:5]:
        gfx.blit(target, line, (RECORD.x + 10, y), 16, gfx.TEXT, RECORD.width - 20)
        y += 22
    end = session.seq - 1
    if end != viewer.seq:
        for line in gfx.wrap(i18n.t("replay.batch_note", lang, end=end), 14, RECORD.width - 20)[:2]:
            gfx.blit(target, line, (RECORD.x + 10, y + 4), 14, gfx.DIM, RECORD.width - 20)
            y += 18
    gfx.blit(target, f"hash {record['hash'][:16]}…", (RECORD.x + 10, RECORD.bottom - 24), 14, gfx.DIM)


# ----- events ------------------------------------------------------------------------------------
def _events(target: pygame.Surface, viewer: Any, lang: str) -> list[tuple[pygame.Rect, str]]:
    gfx.panel(target, EVENTS, i18n.t("replay.events_title", lang))
    buttons = []
    fw = (EVENTS.width - 16) // 3
    for col, name in enumerate(("county", "role", "kind")):
        rect = pygame.Rect(EVENTS.x + 8 + col * fw, EVENTS.y + 36, fw - 4, 28)
        value = viewer.filters[name] or i18n.t("replay.filter_all", lang)
        active = bool(viewer.filters[name])
        pygame.draw.rect(target, (79, 109, 150) if active else (44, 58, 76), rect, border_radius=4)
        gfx.blit(target, f"{i18n.t(f'replay.filter_{name}', lang)}: {value}", (rect.x + 6, rect.y + 4), 14, gfx.TEXT, rect.width - 10)
        buttons.append((rect, f"filter:{name}"))
    y = EVENTS.y + 72
    session = viewer.session
    colours = {"rejection": gfx.BAD, "inject": gfx.WARN, "alert": MARK_COLOURS["alert"]}
    index = viewer.replay.index
    for seq in viewer.event_seqs(24):
        if y > EVENTS.bottom - 24:
            break
        record = viewer.replay.record(seq)
        kind = next((m for m in ("rejection", "alert", "inject") if index.next_mark(m, seq - 1) == seq), None)
        plain = gfx.ACCENT if record["type"] == "command" else gfx.TEXT
        colour = colours.get(kind, plain) if kind is not None else plain
        if seq == viewer.seq:
            pygame.draw.rect(target, (60, 80, 110), (EVENTS.x + 4, y - 1, EVENTS.width - 8, 21), border_radius=3)
        line = f"{seq} T{record['turn']} " + describe(session, record, lang)
        gfx.blit(target, line, (EVENTS.x + 10, y), 14, colour, EVENTS.width - 20)
        y += 21
    return buttons


# ----- timeline and controls -------------------------------------------------------------------
def _slider(target: pygame.Surface, viewer: Any) -> None:
    replay = viewer.replay
    total = replay.source.lines or 1
    pygame.draw.rect(target, (36, 46, 60), SLIDER, border_radius=6)
    if replay.count < total:  # the untrusted tail
        x0 = _x(replay.count, total)
        pygame.draw.rect(target, (120, 30, 30), (x0, SLIDER.y, SLIDER.right - x0, SLIDER.height), border_radius=6)
    for mark, row in (("inject", 4), ("alert", 12), ("rejection", 20)):
        for seq in replay.index.mark_seqs(mark)[:4000]:
            x = _x(seq, total)
            pygame.draw.line(target, MARK_COLOURS[mark], (x, SLIDER.y + row), (x, SLIDER.y + row + 7))
    for seq in viewer.notes.seqs():
        x = _x(seq, total)
        pygame.draw.polygon(target, MARK_COLOURS["note"], [(x, SLIDER.bottom - 8), (x - 5, SLIDER.bottom), (x + 5, SLIDER.bottom)])
    x = _x(viewer.seq, total)
    pygame.draw.rect(target, gfx.TEXT, (x - 2, SLIDER.y - 4, 5, SLIDER.height + 8), border_radius=2)


CONTROLS = (("home", "|◀"), ("turn-", "◀◀"), ("step-", "◀"), ("play", None), ("step+", "▶"), ("turn+", "▶▶"),
            ("end", "▶|"), ("slower", "-"), ("faster", "+"))
JUMPS = (("next:inject", "replay.btn_inject"), ("next:rejection", "replay.btn_rejection"), ("next:alert", "replay.btn_alert"),
         ("next:rating", "replay.btn_rating"), ("next:note", "replay.btn_note"), ("view", "replay.btn_view"),
         ("bookmark", "replay.btn_bookmark"), ("fork", "replay.btn_fork"), ("help", "replay.btn_help"))


def _legend(target: pygame.Surface, lang: str, y: int) -> int:
    """What the timeline's colours mean, right-aligned on row ``y``; returns where it starts."""
    items = [(MARK_COLOURS["inject"], "replay.legend_inject"), (MARK_COLOURS["alert"], "replay.legend_alert"),
             (MARK_COLOURS["rejection"], "replay.legend_rejection"), (MARK_COLOURS["note"], "replay.legend_note"),
             ((120, 30, 30), "replay.legend_untrusted")]
    labels = [(colour, i18n.t(key, lang)) for colour, key in items]
    width = sum(gfx.text(label, 14).get_width() + 26 for _, label in labels)
    x = W - 16 - width
    start = x
    for colour, label in labels:
        pygame.draw.rect(target, colour, (x, y + 4, 10, 10))
        x += 14 + gfx.blit(target, label, (x + 14, y), 14, gfx.TEXT) + 12
    return start


def _controls(target: pygame.Surface, viewer: Any, lang: str) -> list[tuple[pygame.Rect, str]]:

    buttons = []
    x, y = 16, 724
    for action, label in CONTROLS:
        if label is None:
            label = i18n.t("replay.btn_pause" if viewer.playing else "replay.btn_play", viewer.lang)
        w = max(38, gfx.text(label, 16).get_width() + 14)
        buttons.append(_button(target, pygame.Rect(x, y, w, 32), label, action, 16))
        x += w + 4
    speed = i18n.t("replay.speed", lang, speed=SPEEDS[viewer.speed])
    x += gfx.blit(target, speed, (x + 4, y + 7), 15, gfx.DIM) + 12
    for action, key in JUMPS:
        label = i18n.t(key, lang)
        w = gfx.text(label, 14).get_width() + 12
        if x + w > W - 8:
            x, y = 16, y + 38
        buttons.append(_button(target, pygame.Rect(x, y, w, 32), label, action, 14))
        x += w + 4
    left = _legend(target, lang, 766)
    gfx.blit(target, i18n.t("replay.keys_hint", lang), (16, 766), 14, gfx.DIM, left - 32)
    return buttons


def _button(target: pygame.Surface, rect: pygame.Rect, label: str, action: str, size: int = 18) -> tuple[pygame.Rect, str]:
    pygame.draw.rect(target, (44, 58, 76), rect, border_radius=4)
    pygame.draw.rect(target, (90, 110, 136), rect, 1, border_radius=4)
    image = gfx.text(label, size)
    target.blit(image, (rect.centerx - image.get_width() // 2, rect.centery - image.get_height() // 2))
    return rect, action


HELP_KEYS = ("replay.help_play", "replay.help_step", "replay.help_jump", "replay.help_view", "replay.help_filter",
             "replay.help_notes", "replay.help_fork", "replay.help_integrity")


def help_overlay(target: pygame.Surface, lang: str) -> None:
    shade = pygame.Surface(gfx.SIZE, pygame.SRCALPHA)
    shade.fill((0, 0, 0, 170))
    target.blit(shade, (0, 0))
    box = pygame.Rect(140, 110, 1000, 560)
    gfx.panel(target, box, i18n.t("replay.help_title", lang))
    y = box.y + 56
    for key in HELP_KEYS:
        for line in gfx.wrap(i18n.t(key, lang), 20, box.width - 60)[:2]:
            gfx.blit(target, line, (box.x + 30, y), 20, gfx.TEXT, box.width - 60)
            y += 30
        y += 12


def _fact(name: str, lang: str) -> str:
    """A fact a field node reports (``base_station``), as words."""
    key = f"replay.fact.{name}"
    return i18n.t(key, lang) if key in i18n.TABLE else name.replace("_", " ")


def _value(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return i18n.t("replay.value_yes" if value else "replay.value_no", lang)
    if value is None:
        return "—"
    if isinstance(value, str):
        return state_name(value, lang) if value else "—"
    return str(value)
