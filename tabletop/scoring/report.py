"""The after-action report (AAR/IP): ``index.html``, ``report.md`` and ``score.json``.

The report is a list of blocks (headings, paragraphs, tables, lists, charts) built once
from the score document and the log view, then rendered twice: to self-contained HTML
(inline CSS, inline SVG, no scripts, no network) and to Markdown (charts summarised in
words). Everything is sorted, so the same log always gives the same bytes.

The first page carries the log's integrity stamp (verified, with the seal in full / chain
intact, not re-simulated and why / broken at seq N); the report of a tampered log (``report
--allow-tampered``) also carries a warning banner before every section, in both renderings,
and ``integrity`` at the top of ``score.json``.
"""

from __future__ import annotations

from html import escape
from typing import Any

from tabletop import __version__, files, i18n
from tabletop.scoring import charts, engine, names, text
from tabletop.scoring.blocks import Block
from tabletop.scoring.view import LogView
from tabletop.scoring.names import Named
from tabletop.scoring.distribution_facts import coverage_series, days_of_supply
from tabletop.scoring.comms_facts import link_status
from tabletop.scoring.requisition_facts import ledger, overdue_releases
from tabletop.plugins import all_metrics


def write(view: LogView, out: str, lang: str = "zh_TW", extra: list[Block] | None = None) -> list[str]:
    """Score the log and write the three report files into ``out``; returns their paths.
    ``extra`` blocks (the reviewer notes) go before the footer.

    Raises :class:`tabletop.files.FileProblem` when the folder cannot be written (nothing changed then)."""
    from tabletop.progress import bar

    steps = bar(total=3, desc="report", leave=False, disable=None if view.records >= 200_000 else True)
    doc = engine.score(view)
    steps.update()
    blocks = build(view, doc, lang, extra)
    steps.update()
    # All three files complete, or none changed (a full disk leaves the earlier report as it was).
    paths = files.write_tree_atomic(out, {"index.html": html(blocks, lang, page_title(doc, lang)),
                                          "report.md": markdown(blocks), "score.json": text.dumps(doc)})
    steps.update()
    steps.close()
    return paths


def page_title(doc: dict[str, Any], lang: str) -> str:
    """The HTML page's title: the scenario's, marked when the log is tampered."""
    title = i18n.pick(doc["log"]["title"], lang)
    if (doc.get("integrity") or {}).get("status") == "broken":
        return i18n.t("score.integrity.title_mark", lang) + title
    return title


# ----- building ------------------------------------------------------------------------------
def build(view: LogView, doc: dict[str, Any], lang: str, extra: list[Block] | None = None) -> list[Block]:
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    blocks = [Block("h1", i18n.pick(doc["log"]["title"], lang) + " — " + t("report.title"))]
    blocks += integrity_blocks(doc.get("integrity") or view.integrity, lang)
    blocks += overview(view, doc, lang)
    blocks += summary(doc, lang, view)
    blocks += [Block("h2", t("report.timeline")), timeline_block(view, doc, lang), Block("note", t("report.timeline_note"))]
    blocks += coverage_blocks(view, lang)
    blocks += stock_blocks(view, lang)
    blocks += comms_blocks(view, lang)
    blocks += ratings_blocks(doc, lang)
    from tabletop.scoring import report_evaluation as ev

    blocks += ev.evaluator_blocks(view, doc, lang)
    blocks += ev.room_blocks(view, doc, lang)
    strengths, areas = findings(doc, lang)
    blocks += [Block("h2", t("report.strengths")), Block("list", items=strengths or [t("report.none")])]
    blocks += [Block("h2", t("report.improvements")), Block("list", items=[a["text"] for a in areas] or [t("report.none")])]
    blocks += ledger_blocks(view, lang)
    blocks += ev.plan_blocks(view, doc, areas, lang)
    blocks += ev.reports_blocks(view, doc, lang)
    blocks += ev.feedback_blocks(view, doc, lang)
    blocks += injects_blocks(doc, lang, view)
    blocks += list(extra or [])
    blocks.append(Block("note", t("report.footer", version=(doc["log"]["engine"] or {}).get("version", __version__))))
    return stamp_sections(blocks, doc.get("integrity") or view.integrity, lang)


def integrity_blocks(record: dict[str, Any], lang: str) -> list[Block]:
    """The integrity stamp of the first page: what was checked, the seal in full, and for a
    broken log what is wrong and which records were counted."""
    status = record.get("status", "unchecked")
    lines = []
    if status == "broken":
        lines.append(i18n.t("score.integrity.scored_prefix", lang, last=max(int(record.get("bad_seq") or 0) - 1, 0)))
        if record.get("message"):
            lines.append(i18n.t("score.integrity.detail", lang, message=record["message"]))
    return [Block("stamp", i18n.t("score.integrity.label", lang) + ("：" if lang == "zh_TW" else ": ")
                  + text.integrity_headline(record, lang), items=lines, code=record.get("seal") or "",
                  caption=i18n.t("score.integrity.seal", lang) if record.get("seal") else "", css=status)]


def stamp_sections(blocks: list[Block], record: dict[str, Any], lang: str) -> list[Block]:
    """A tampered log: the warning banner at the top of the page and before every section after
    the first (the first follows the stamp, which says the same)."""
    if record.get("status") != "broken":
        return blocks
    banner = text.integrity_banner(record, lang)
    out: list[Block] = [Block("banner", banner)]
    first = True
    for block in blocks:
        if block.kind == "h2":
            if not first:
                out.append(Block("banner", banner))
            first = False
        out.append(block)
    return out


def overview(view: LogView, doc: dict[str, Any], lang: str) -> list[Block]:
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    scenario = view.scenario
    log = doc["log"]
    rows = [
        [t("report.scenario"), f"{i18n.pick(scenario.scenario.title.model_dump(), lang)} ({scenario.scenario.id}, "
                               f"SHA-256 {str(log['sha256'])[:12]}…)"],
        [t("report.date"), scenario.clock.start],
        [t("report.duration"), t("report.duration_value", turns=log["turns"], minutes=log["minutes_per_turn"],
                                 played=log["last_turn"])],
        [t("report.counties"), text.list_sep(lang).join(i18n.pick(c.name.model_dump(), lang) for c in scenario.counties)],
        [t("report.phases"), text.semi_sep(lang).join(f"{i18n.pick(p.name.model_dump(), lang)}"
                                                      f"{text.paren(t('report.phase_turns', first=p.first_turn, last=p.last_turn), lang)}"
                                                      for p in scenario.phases) or "-"],
        [t("report.seed"), str(log["seed"])],
        [t("report.records"), f"{log['records']:,}"],
        [t("report.final_state"), i18n.pick(i18n.label("state", log["final_state"]), lang)],
    ]
    blocks = [Block("h2", t("report.overview"))]
    if scenario.scenario.description:
        blocks.append(Block("p", i18n.pick(scenario.scenario.description.model_dump(), lang)))
    blocks.append(Block("kv", rows=rows))
    seats = (view.header.get("data") or {}).get("participants") or {}
    sep = "、" if lang == "zh_TW" else ", "
    people = []
    for key in sorted(seats):
        value = seats[key]
        if isinstance(value, dict):
            county = next((c for c in scenario.counties if c.id == key), None)
            label = i18n.pick(county.name.model_dump(), lang) if county else key
            people.append([label, sep.join(f"{i18n.pick(i18n.label('role', role), lang)} {name or '-'}"
                                           for role, name in sorted(value.items()))])
        else:
            people.append([i18n.pick(i18n.label("role", key), lang), str(value or "-")])
    if people:
        blocks += [Block("p", t("report.participants")), Block("kv", rows=people)]
    return blocks


def summary(doc: dict[str, Any], lang: str, view: LogView | None = None) -> list[Block]:
    """Ratings of the capabilities, counties and seats, by name (the id beside it, in grey)."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    overall = doc["overall"]
    rows = [[Named(text.cap_label(name, lang, cap["label"]), name), cap["rating"] or "-", text.fmt_score(cap["score"])]
            for name, cap in doc["capabilities"].items()]
    counties = [[Named(names.county(view, name, lang), name), row["rating"] or "-", text.fmt_score(row["score"])]
                for name, row in doc["counties"].items()]
    roles = [[Named(names.seat(view, name, lang), name), row["rating"] or "-", text.fmt_score(row["score"])]
             for name, row in doc["roles"].items() if row["rating"] is not None]
    head = [t("score.table.capability"), t("score.table.rating"), t("score.table.score")]
    return [Block("h2", t("report.summary")),
            Block("p", f"{t('report.overall')}：{text.fmt_score(overall['score'])}（{text.rating_text(overall['rating'], lang)}）"
                  if lang == "zh_TW" else f"{t('report.overall')}: {text.fmt_score(overall['score'])} "
                  f"({text.rating_text(overall['rating'], lang)})"),
            Block("table", headers=head, rows=rows, css="ratings"),
            Block("table", headers=[t("score.table.counties")] + head[1:], rows=counties, css="ratings"),
            Block("table", headers=[t("score.table.roles")] + head[1:], rows=roles, css="ratings")]


def timeline_block(view: LogView, doc: dict[str, Any], lang: str) -> Block:
    rows = []
    for ident, inj in sorted(doc["injects"].items(), key=lambda kv: (kv[1]["delivered_turn"], kv[0])):
        delivered = inj["delivered_turn"]
        mpt = view.minutes_per_turn
        ack = None if inj["acknowledged_after_min"] is None else delivered + inj["acknowledged_after_min"] // mpt
        marks = []
        for exp in inj["expected"]:
            if exp["status"] == "met":
                marks.append((delivered + exp["after_min"] // mpt, "met"))
            elif exp["status"] == "missed":
                marks.append((exp["deadline_turn"], "missed"))
            else:
                marks.append((view.last_turn, "censored"))
        rows.append({"label": Named(i18n.pick(inj["title"], lang), ident), "delivered": delivered, "ack": ack, "marks": marks})
    phases = [(i18n.pick(p.name.model_dump(), lang), p.first_turn, p.last_turn) for p in view.scenario.phases]
    svg = charts.timeline(i18n.t("report.timeline", lang), rows, max(view.total_turns, view.last_turn), phases,
                          i18n.t("report.turn", lang))
    return Block("chart", text=i18n.t("report.inject_count", lang, count=len(rows)), svg=svg)


def coverage_blocks(view: LogView, lang: str) -> list[Block]:
    head = Block("h2", i18n.t("report.coverage", lang))
    if not view.has("station_state"):
        return [head, Block("note", i18n.t("report.no_data", lang))]
    towns = list(view.townships().values())
    shares = []
    for county in view.scenario.counties:
        mine = [t for t in towns if t.county == county.id]
        name = i18n.pick(county.name.model_dump(), lang)
        shares.append((name, coverage_series(view, mine)))
        remote = [t for t in mine if t.remote]
        if remote and len(view.scenario.counties) <= 3:
            label = i18n.t("report.remote", lang)
            shares.append((f"{name} {label}", coverage_series(view, remote)))
    series = [(label, [(x, y * 100) for x, y in points]) for label, points in shares]
    svg = charts.line_chart(i18n.t("report.coverage", lang), series, i18n.t("report.turn", lang), 100, "{:.0f}%",
                            x_max=view.total_turns)
    finals = text.semi_sep(lang).join(f"{label} {points[-1][1]:.0f}%" for label, points in series if points)
    return [head, Block("chart", text=finals, svg=svg)]


def stock_blocks(view: LogView, lang: str) -> list[Block]:
    head = Block("h2", i18n.t("report.stock", lang))
    supply = days_of_supply(view)
    if not supply:
        return [head, Block("note", i18n.t("report.no_data", lang))]
    goods = view.goods()
    series = [(i18n.pick(goods[g].name.model_dump(), lang) if g in goods else g, [(x, y) for x, y in points])
              for g, points in supply.items()]
    top = max(y for _, points in series for _, y in points)
    svg = charts.line_chart(i18n.t("report.stock", lang), series, i18n.t("report.turn", lang), top * 1.05 or 1,
                            "{:.0f}", x_max=view.total_turns)
    finals = text.semi_sep(lang).join(f"{label} {points[-1][1]:.1f}" for label, points in series)
    note = i18n.t("report.stock_note", lang)
    return [head, Block("chart", text=finals, svg=svg), Block("note", note)]


def comms_blocks(view: LogView, lang: str) -> list[Block]:
    head = Block("h2", i18n.t("report.comms", lang))
    status = link_status(view) if view.has("channel_state") else {}
    if not status:
        return [head, Block("note", i18n.t("report.no_data", lang))]
    rows = [(Named(names.link(view, link, lang), link), cells) for link, cells in sorted(status.items())]
    svg = charts.status_bands(i18n.t("report.comms", lang), rows, view.last_turn, i18n.t("report.turn", lang),
                              i18n.t("report.link_up", lang), i18n.t("report.link_down", lang))
    by_turns: dict[int, list[str]] = {}
    for link, cells in rows:
        by_turns.setdefault(sum(1 for _, ok in cells if not ok), []).append(link)
    sep = "、" if lang == "zh_TW" else ", "
    down = ("；" if lang == "zh_TW" else "; ").join(
        i18n.t("report.link_down_turns", lang, turns=turns, links=sep.join(links))
        for turns, links in sorted(by_turns.items(), reverse=True))
    return [head, Block("chart", text=down, svg=svg)]


def ratings_blocks(doc: dict[str, Any], lang: str) -> list[Block]:
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    rows = []
    for name, cap in doc["capabilities"].items():
        label = text.cap_label(name, lang, cap["label"])
        if not cap["metrics"]:
            rows.append([Named(label, name), "-", "-", t("score.rating.none"), "", "", ""])
        for index, (metric, row) in enumerate(cap["metrics"].items()):
            rows.append([Named(label, name, quiet=index > 0), cap["rating"], text.fmt_score(cap["score"]),
                         Named(text.metric_label(metric, lang), metric, quiet=True), text.value_text(row, lang, metric),
                         text.thresholds_text(row, lang, metric), row["rating"]])
        for metric, row in (cap.get("context") or {}).items():
            rows.append([Named(label, name, quiet=True), "", "", Named(text.metric_label(metric, lang), metric, quiet=True),
                         text.value_text(row, lang, metric), t("score.context"), ""])
    head = [t("score.table.capability"), t("score.table.rating"), t("score.table.score"), t("score.table.metric"),
            t("score.table.value"), t("score.table.thresholds"), t("score.table.rating")]
    return [Block("h2", t("report.ratings")), Block("table", headers=head, rows=rows, css="ratings")]


def findings(doc: dict[str, Any], lang: str) -> tuple[list[str], list[dict[str, Any]]]:
    """Strengths (metrics rated P) and areas for improvement (metrics rated M or U, missed injects)."""
    metrics = all_metrics()
    strengths, areas = [], []
    for name, cap in doc["capabilities"].items():
        label = text.cap_label(name, lang, cap["label"])
        good = []
        for metric, row in cap["metrics"].items():
            params = {"capability": label, "metric": text.metric_label(metric, lang),
                      "value": text.value_text(row, lang, metric)}
            if row["rating"] == "P":
                good.append(f"{params['metric']} {params['value']}")
            elif row["rating"] in ("M", "U"):
                second = dict(row, value=row["thresholds"]["S"], not_reached=False)
                owners = metrics[metric].owners or _inject_roles(doc, name)
                areas.append({"capability": label, "capability_id": name, "metric": metric, "rating": row["rating"],
                              "text": i18n.t("report.weakness", lang, rating=row["rating"],
                                             threshold=text.value_text(second, lang, metric), **params),
                              "action": i18n.t(f"score.advice.{metric}", lang),
                              "roles": text.list_sep(lang).join(i18n.pick(i18n.label("role", r), lang) for r in owners)})
        if good:
            strengths.append(i18n.t("report.strength", lang, capability=label, rating=cap["rating"],
                                    score=text.fmt_score(cap["score"]),
                                    metrics=("、" if lang == "zh_TW" else "; ").join(good)))
    for ident, inj in doc["injects"].items():
        for exp in inj["expected"]:
            if exp["status"] == "missed":
                areas.append({"capability": text.cap_label(exp["capability"], lang), "capability_id": exp["capability"],
                              "metric": "inject",
                              "rating": "-", "text": i18n.t("report.missed_inject", lang, inject=ident,
                                                            title=i18n.pick(inj["title"], lang),
                                                            kind=names.command(exp["kind"], lang),
                                                            deadline=exp["deadline_turn"]),
                              "action": i18n.t("score.advice.expected_on_time_rate", lang),
                              "roles": i18n.pick(i18n.label("role", exp["role"] or inj["role"]), lang)})
    return strengths, areas


def _inject_roles(doc: dict[str, Any], capability: str) -> list[str]:
    roles = {inj["role"] for inj in doc["injects"].values() if any(e["capability"] == capability for e in inj["expected"])}
    return sorted(roles)


def ledger_blocks(view: LogView, lang: str) -> list[Block]:
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    head = Block("h2", t("report.ledger"))
    rows = ledger(view)
    if not rows:
        return [head, Block("note", t("report.no_data"))]
    table = [[r["id"], str(r["payee_name"] or r["payee"]), Named(names.basis(r["basis"], lang), str(r["basis"]), quiet=True),
              f"{int(r['amount'] or 0):,}",
              str(r["due_by"]), str(r["paid_on"] or "-"), t("report.yes") if r["overdue"] else t("report.no")]
             for r in rows]
    headers = [t(f"report.col.{c}") for c in ("id", "payee", "basis", "amount", "due_by", "paid", "overdue")]
    total = sum(int(r["amount"] or 0) for r in rows)
    blocks = [head, Block("table", headers=headers, rows=table, css="ledger"),
              Block("p", f"{'合計' if lang == 'zh_TW' else 'Total'}: NT$ {total:,}")]
    late = overdue_releases(view)
    if late:
        blocks.append(Block("note", t("report.overdue_releases")))
        blocks.append(Block("table", headers=[t(f"report.col.{c}") for c in ("id", "term", "overdue_days", "status")],
                            rows=[[r["id"], str(r["term_days"]), str(r["overdue_days"]), t(f"report.release.{r['state']}")]
                                  for r in late], css="ledger"))
    return blocks


def injects_blocks(doc: dict[str, Any], lang: str, view: LogView | None = None) -> list[Block]:
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    rows = []
    for ident, inj in sorted(doc["injects"].items(), key=lambda kv: (kv[1]["delivered_turn"], kv[0])):
        expected = ("；" if lang == "zh_TW" else "; ").join(
            f"{names.command(e['kind'], lang)}→{t('report.status.' + e['status'])}" for e in inj["expected"]) or "-"
        seat = f"{inj['county']}.{inj['role']}" if inj.get("county") else inj["role"]
        rows.append([ident, i18n.pick(inj["title"], lang), Named(names.seat(view, seat, lang), seat, quiet=True),
                     str(inj["delivered_turn"]), _minutes(inj["acknowledged_after_min"]),
                     _minutes(inj["first_action_after_min"]), expected, t(f"report.status.{inj['status']}")])
    headers = [t(f"report.col.{c}") for c in ("inject", "title", "role", "delivered", "ack", "first", "expected", "status")]
    return [Block("h2", t("report.injects")), Block("table", headers=headers, rows=rows, css="compact")]


def _minutes(value: int | None) -> str:
    return "-" if value is None else str(value)


# ----- rendering -----------------------------------------------------------------------------
CSS = """
:root { --cjk: "Noto Sans CJK TC", "Noto Sans TC", "Source Han Sans TC", "PingFang TC", "Microsoft JhengHei",
  "Heiti TC", "WenQuanYi Zen Hei", "Noto Sans CJK JP", sans-serif; }
body { font-family: var(--cjk); color: #222; max-width: 1000px; margin: 24px auto; padding: 0 16px; line-height: 1.55; }
svg.chart { font-family: var(--cjk); max-width: 100%; height: auto; display: block; margin: 8px 0 4px; }
h1 { font-size: 1.6em; border-bottom: 3px solid #0072B2; padding-bottom: 6px; }
h2 { font-size: 1.25em; margin-top: 1.8em; border-left: 5px solid #0072B2; padding-left: 8px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #eef3f8; }
table.kv th { width: 22%; }
td.r-P { background: #d9f2e6; } td.r-S { background: #eaf4d9; } td.r-M { background: #fbecd0; } td.r-U { background: #f8d7cf; }
p.note { color: #666; font-size: 0.9em; }
div.stamp { border: 2px solid #888; background: #f4f4f4; padding: 6px 12px; margin: 10px 0 14px; }
div.stamp p { margin: 4px 0; }
div.stamp-verified { border-color: #009E73; background: #e8f6f0; }
div.stamp-chain_ok { border-color: #b07a00; background: #fdf4e3; }
div.stamp-broken, div.banner { border: 3px solid #b3261e; background: #fde7e4; color: #7a1a14; }
div.banner { padding: 6px 12px; margin: 12px 0 6px; font-weight: bold; }
code.seal { font-family: ui-monospace, "DejaVu Sans Mono", "Noto Sans Mono CJK TC", "Courier New", monospace;
  font-size: 0.95em; word-break: break-all; background: #fff; padding: 1px 4px; border: 1px solid #ccc; user-select: all; }
small.id { color: #8a8a8a; font-size: 0.78em; margin-left: 0.45em; white-space: nowrap; }
"""


def html(blocks: list[Block], lang: str, title: str) -> str:
    parts = [f'<!DOCTYPE html>\n<html lang="{"zh-Hant-TW" if lang == "zh_TW" else "en"}">\n<head>\n<meta charset="utf-8">\n'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{escape(title)}</title>\n'
             f"<style>{CSS}</style>\n</head>\n<body>\n"]
    section = 0
    for block in blocks:
        if block.kind == "h2" and not block.css:
            section += 1
            block = Block("h2", block.text, css=f"s{section}")
        parts.append(_html_block(block) + "\n")
    parts.append("</body>\n</html>\n")
    return "".join(parts)


def _cell(value: str, index: int, block: Block, header: str = "") -> str:
    attrs = ""
    if "ratings" in block.css.split() and value in engine.RATINGS:
        attrs = f' class="r-{value}"'
    return f"<td{attrs}>{_named_html(value)}</td>"


def _named_html(value: str) -> str:
    """A name; for a :class:`Named`, its id as a tooltip and (unless quiet) in small grey text."""
    if not isinstance(value, Named) or not value.shows_id:
        return escape(value)
    grey = "" if value.quiet else f' <small class="id">{escape(value.ident)}</small>'
    return f'<span title="{escape(value.ident)}">{escape(value)}</span>{grey}'



def _html_block(block: Block) -> str:
    if block.kind == "stamp":
        seal = (f'<p>{escape(block.caption)}<br><code class="seal">{escape(block.code)}</code></p>'
                if block.code else "")
        lines = "".join(f"<p>{escape(item)}</p>" for item in block.items)
        return (f'<div class="stamp stamp-{escape(block.css)}"><p><strong>{escape(block.text)}</strong></p>'
                f"{seal}{lines}</div>")
    if block.kind == "banner":
        return f'<div class="banner" role="alert">{escape(block.text)}</div>'
    if block.kind == "h2":
        return f'<h2 id="{block.css}">{escape(block.text)}</h2>' if block.css else f"<h2>{escape(block.text)}</h2>"
    if block.kind == "h1":
        return f"<h1>{escape(block.text)}</h1>"
    if block.kind == "p":
        return f"<p>{escape(block.text)}</p>"
    if block.kind == "note":
        return f'<p class="note">{escape(block.text)}</p>'
    if block.kind == "list":
        return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in block.items) + "</ul>"
    if block.kind == "chart":
        return f'<figure>{block.svg}<figcaption class="note">{escape(block.text)}</figcaption></figure>'
    if block.kind == "kv":
        return '<table class="kv">' + "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in block.rows) + "</table>"
    head = "".join(f"<th>{escape(h)}</th>" for h in block.headers)
    body = "".join("<tr>" + "".join(_cell(v, i, block) for i, v in enumerate(row)) + "</tr>" for row in block.rows)
    return f'<table class="{block.css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def markdown(blocks: list[Block]) -> str:
    out = []
    for block in blocks:
        if block.kind == "h1":
            out.append(f"# {block.text}")
        elif block.kind == "h2":
            out.append(f"## {block.text}")
        elif block.kind in ("p", "note"):
            out.append(block.text if block.kind == "p" else f"*{block.text}*")
        elif block.kind == "stamp":
            lines = [f"> **{block.text}**"]
            if block.code:
                lines += [">", f"> {block.caption}", ">", f"> `{block.code}`"]
            lines += [line for item in block.items for line in (">", f"> {item}")]
            out.append("\n".join(lines))
        elif block.kind == "banner":
            out.append(f"> **{block.text}**")
        elif block.kind == "list":
            out.append("\n".join(f"- {item}" for item in block.items))
        elif block.kind == "chart":
            out.append(f"> {block.text}" if block.text else "")
        elif block.kind == "kv":
            out.append("\n".join(f"- **{k}**: {v}" for k, v in block.rows))
        else:
            headers = block.headers
            lines = ["| " + " | ".join(_md(h) or " " for h in headers) + " |", "|" + "---|" * len(headers)]
            lines += ["| " + " | ".join(_md(_named_md(v)) for v in row) + " |" for row in block.rows]
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def _named_md(value: str) -> str:
    if isinstance(value, Named) and value.shows_id and not value.quiet:
        return f"{value} `{value.ident}`"
    return str(value)


def _md(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")
