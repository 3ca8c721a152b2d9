"""Plain-text output: canonical JSON and the terminal table of ``score``."""

from __future__ import annotations

import json
from typing import Any

from tabletop import i18n
from tabletop.scoring.names import cap_label


def dumps(doc: Any) -> str:
    """Stable JSON (sorted keys, 1-space indent, UTF-8 kept) ending with a newline."""
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1, allow_nan=False) + "\n"


def metric_label(name: str, lang: str) -> str:
    key = f"score.metric.{name}"
    return i18n.t(key, lang) if key in i18n.TABLE else name


def number(value: float | None, unit: str, lang: str) -> str:
    if value is None:
        return i18n.t("score.value.na", lang)
    if unit == "ratio":
        return f"{value * 100:.1f}%" if 0 <= value <= 1 else f"{value:.3f}"
    return i18n.t("score.value.minutes", lang, value=f"{value:g}")


#: Ratio metrics shown as a plain index rather than a percentage.
INDEXES = ("served_gini",)


def value_text(row: dict[str, Any], lang: str, metric: str = "") -> str:
    if row.get("not_reached"):
        return i18n.t("score.value.not_reached", lang, horizon=number(row.get("horizon"), row["unit"], lang))
    if metric in INDEXES and row.get("value") is not None:
        return f"{row['value']:.3f}"
    return number(row.get("value"), row["unit"], lang)


def thresholds_text(row: dict[str, Any], lang: str, metric: str = "") -> str:
    t = row["thresholds"]
    if metric in INDEXES:
        return " / ".join(f"{t[k]:g}" for k in "PSM")
    if row["unit"] == "ratio":
        return " / ".join(f"{t[k] * 100:g}%" for k in "PSM")
    return " / ".join(f"{t[k]:g}" for k in "PSM") + (" 分鐘" if lang == "zh_TW" else " min")


def rating_text(rating: str | None, lang: str) -> str:
    return i18n.t(f"score.rating.{rating}" if rating else "score.rating.none", lang)


def fmt_score(score: float | None) -> str:
    return "-" if score is None else f"{score:.1f}"


# ----- integrity -----------------------------------------------------------------------------
def integrity_problem(record: dict[str, Any], lang: str) -> str:
    """What is wrong with a broken log, naming the seq ("chain broken at seq 12")."""
    key = f"score.integrity.problem.{record.get('problem') or 'chain'}"
    return i18n.t(key if key in i18n.TABLE else "score.integrity.problem.chain", lang, seq=record.get("bad_seq"))


def integrity_headline(record: dict[str, Any] | None, lang: str) -> str:
    """The stamp in one phrase: verified / chain intact, not re-simulated (why) / tampered: the problem."""
    record = record or {}
    status = record.get("status", "unchecked")
    if status == "verified":
        return i18n.t("score.integrity.verified", lang)
    if status == "chain_ok":
        why = f"score.integrity.why.{record.get('not_resimulated') or 'chain_only'}"
        return i18n.t("score.integrity.chain_ok", lang,
                      why=i18n.t(why if why in i18n.TABLE else "score.integrity.why.chain_only", lang,
                                 engine=record.get("engine") or "?"))
    if status == "broken":
        return i18n.t("score.integrity.broken", lang, problem=integrity_problem(record, lang))
    return i18n.t("score.integrity.unchecked", lang)


def integrity_banner(record: dict[str, Any], lang: str) -> str:
    """The warning every page of a tampered log's report carries."""
    last = max(int(record.get("bad_seq") or 0) - 1, 0)
    return i18n.t("score.integrity.banner", lang, problem=integrity_problem(record, lang),
                  scored=i18n.t("score.integrity.scored_prefix", lang, last=last))


def integrity_lines(record: dict[str, Any] | None, lang: str) -> list[str]:
    """The stamp for a terminal: the headline, then the seal in full (or the banner when tampered)."""
    record = record or {}
    lines = [i18n.t("score.integrity.line", lang, stamp=integrity_headline(record, lang))]
    if record.get("seal"):
        lines.append("  " + i18n.t("score.integrity.seal_line", lang, seal=record["seal"]))
    if record.get("status") == "broken":
        lines.append("  " + integrity_banner(record, lang))
    return lines


def table(doc: dict[str, Any], lang: str, view: Any = None) -> str:
    """The terminal table: overall, each capability with its metrics, counties, roles. With the
    log's ``view``, counties and seats are named from its scenario (花蓮縣 民政), the id after the name."""
    from tabletop.scoring import names

    title = i18n.pick(doc["log"]["title"], lang)
    lines = [i18n.t("score.table.title", lang, title=title),
             i18n.t("score.table.overall", lang, score=fmt_score(doc["overall"]["score"]),
                    rating=doc["overall"]["rating"] or "-")]
    lines += integrity_lines(doc.get("integrity"), lang)
    if not doc["log"]["complete"]:
        lines.append(i18n.t("score.table.incomplete", lang))
    lines.append("")
    for name, cap in doc["capabilities"].items():
        lines.append(f"{cap['rating'] or '-':2} {fmt_score(cap['score']):>5}  {cap_label(name, lang, cap['label'])} ({name})")
        if not cap["metrics"]:
            lines.append(f"{'':10}{i18n.t('score.rating.none', lang)}")
        for metric, row in cap["metrics"].items():
            lines.append(f"{'':4}{row['rating']:2} {fmt_score(row['score']):>5}  {metric_label(metric, lang)}: "
                         f"{value_text(row, lang, metric)}  [{thresholds_text(row, lang, metric)}]")
        for metric, row in (cap.get("context") or {}).items():
            lines.append(f"{'':4}{i18n.t('score.context', lang)}  {metric_label(metric, lang)}: {value_text(row, lang, metric)}")
    sep = "、" if lang == "zh_TW" else ", "
    labels = {name: cap["label"] for name, cap in doc["capabilities"].items()}
    for key, heading in (("counties", "score.table.counties"), ("roles", "score.table.roles")):
        lines += ["", i18n.t(heading, lang)]
        for name, row in doc[key].items():
            shown = names.county(view, name, lang) if key == "counties" else names.seat(view, name, lang)
            caps = sep.join(f"{cap_label(cap, lang, labels.get(cap))} {c['rating']}" for cap, c in row["capabilities"].items())
            ident = f" ({name})" if shown != name else ""
            lines.append(f"  {row['rating'] or '-':2} {fmt_score(row['score']):>5}  {shown}{ident}  {caps}".rstrip())
    return "\n".join(lines)


def list_sep(lang: str) -> str:
    """Between the items of a list: 「、」 in zh_TW, ", " in English (half-width punctuation)."""
    return "、" if lang == "zh_TW" else ", "


def semi_sep(lang: str) -> str:
    return "；" if lang == "zh_TW" else "; "


def colon(lang: str) -> str:
    return "：" if lang == "zh_TW" else ": "


def paren(inner: str, lang: str) -> str:
    return f"（{inner}）" if lang == "zh_TW" else f" ({inner})"
