"""Two sessions side by side (two counties, or this year against last year), per capability and metric."""

from __future__ import annotations

import os
from typing import Any

from tabletop import files, i18n
from tabletop.scoring import report, text


def compare(first: dict[str, Any], second: dict[str, Any], files_: tuple[str, str] | None = None) -> dict[str, Any]:
    """A comparison document built from two score documents (``files_``: the two logs' file
    names, shown in the column heads)."""
    caps: dict[str, Any] = {}
    for name in sorted(set(first["capabilities"]) | set(second["capabilities"])):
        a = first["capabilities"].get(name) or {"rating": None, "score": None, "metrics": {}, "label": None}
        b = second["capabilities"].get(name) or {"rating": None, "score": None, "metrics": {}, "label": None}
        metrics = {}
        for metric in sorted(set(a["metrics"]) | set(b["metrics"])):
            ra, rb = a["metrics"].get(metric), b["metrics"].get(metric)
            metrics[metric] = {"unit": (ra or rb)["unit"],
                               "first": _pick(ra), "second": _pick(rb), "delta_score": _delta(ra, rb)}
        caps[name] = {"label": a.get("label") or b.get("label"), "first": {"rating": a["rating"], "score": a["score"]},
                      "second": {"rating": b["rating"], "score": b["score"]}, "delta_score": _delta(a, b),
                      "metrics": metrics}
    out_first, out_second = dict(first["log"]), dict(second["log"])
    if files_ is not None:
        out_first["file"], out_second["file"] = (os.path.basename(f) for f in files_)
    return {"first": out_first, "second": out_second,
            "integrity": {"first": first.get("integrity"), "second": second.get("integrity")},
            "overall": {"first": first["overall"], "second": second["overall"],
                        "delta_score": _delta(first["overall"], second["overall"])},
            "capabilities": caps}


def _pick(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {k: row.get(k) for k in ("value", "rating", "score", "not_reached", "horizon", "unit") if k in row}


def _delta(a: dict[str, Any] | None, b: dict[str, Any] | None) -> float | None:
    if not a or not b or a.get("score") is None or b.get("score") is None:
        return None
    return round(b["score"] - a["score"], 1) + 0.0


def _cell(row: dict[str, Any] | None, lang: str, metric: str) -> str:
    if row is None:
        return "-"
    return f"{text.value_text(row, lang, metric)} ({row['rating']})"


def rows(doc: dict[str, Any], lang: str) -> list[list[str]]:
    overall = doc["overall"]
    out = [[i18n.t("report.overall", lang), "",
            f"{overall['first']['rating'] or '-'} {text.fmt_score(overall['first']['score'])}",
            f"{overall['second']['rating'] or '-'} {text.fmt_score(overall['second']['score'])}",
            _signed(overall["delta_score"])]]
    for name, cap in doc["capabilities"].items():
        label = text.cap_label(name, lang, cap["label"])
        out.append([label, "", f"{cap['first']['rating'] or '-'} {text.fmt_score(cap['first']['score'])}",
                    f"{cap['second']['rating'] or '-'} {text.fmt_score(cap['second']['score'])}",
                    _signed(cap["delta_score"])])
        for metric, row in cap["metrics"].items():
            out.append(["", text.metric_label(metric, lang), _cell(row["first"], lang, metric),
                        _cell(row["second"], lang, metric), _signed(row["delta_score"])])
    return out


def _signed(value: float | None) -> str:
    return "-" if value is None else f"{value:+.1f}"


def headers(doc: dict[str, Any], lang: str) -> list[str]:
    return [i18n.t("score.table.capability", lang), i18n.t("score.table.metric", lang),
            "1: " + session_name(doc["first"], lang), "2: " + session_name(doc["second"], lang), "Δ"]


def session_name(log: dict[str, Any], lang: str) -> str:
    """A session as a facilitator names it: the scenario's title, the seed, the log's file."""
    title = i18n.pick(log.get("title"), lang) or str(log.get("scenario", ""))
    name = i18n.t("report.compare_session", lang, title=title, seed=log.get("seed"))
    return f"{name}（{log['file']}）" if lang == "zh_TW" and log.get("file") else \
        f"{name} ({log['file']})" if log.get("file") else name


def table(doc: dict[str, Any], lang: str) -> str:
    overall = doc["overall"]
    lines = [i18n.t("report.compare_title", lang),
             f"1: {session_name(doc['first'], lang)}", f"2: {session_name(doc['second'], lang)}",
             f"1: {text.fmt_score(overall['first']['score'])} ({overall['first']['rating'] or '-'})   "
             f"2: {text.fmt_score(overall['second']['score'])} ({overall['second']['rating'] or '-'})   "
             f"Δ {_signed(overall['delta_score'])}"]
    for n, which in ((1, "first"), (2, "second")):
        stamp = text.integrity_lines((doc.get("integrity") or {}).get(which), lang)
        lines += [f"{n}: {stamp[0]}"] + stamp[1:]
    lines.append("")
    for row in rows(doc, lang):
        lines.append(f"{_pad(row[0] or '  ' + row[1], 36)} {_pad(row[2], 26, right=True)} "
                     f"{_pad(row[3], 26, right=True)} {row[4]:>7}")
    return "\n".join(lines)


def _pad(value: str, width: int, right: bool = False) -> str:
    """Pad to a terminal width, counting East Asian wide characters as two columns."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in value)
    fill = " " * max(0, width - used)
    return fill + value if right else value + fill


def write(doc: dict[str, Any], out: str, lang: str) -> list[str]:
    """Write compare.json, compare.md and index.html into ``out``: all three, or none changed
    (:class:`tabletop.files.FileProblem` then)."""
    blocks = [report.Block("h1", i18n.t("report.compare_title", lang))]
    banners = []
    for n, which in ((1, "first"), (2, "second")):
        record = (doc.get("integrity") or {}).get(which) or {}
        stamp = report.integrity_blocks(record, lang)[0]
        stamp.text = f"{i18n.t('score.integrity.compare_log', lang, n=n)} — {stamp.text}"
        blocks.append(stamp)
        if record.get("status") == "broken":
            banners.append(report.Block("banner", f"{i18n.t('score.integrity.compare_log', lang, n=n)}: "
                                                  f"{text.integrity_banner(record, lang)}"))
    blocks = banners + blocks + [report.Block("table", headers=headers(doc, lang), rows=rows(doc, lang), css="compact")]
    title = i18n.t("report.compare_title", lang)
    if banners:
        title = i18n.t("score.integrity.title_mark", lang) + title
    return files.write_tree_atomic(out, {"compare.json": text.dumps(doc), "compare.md": report.markdown(blocks),
                                         "index.html": report.html(blocks, lang, title)})
