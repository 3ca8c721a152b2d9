"""The balance report: one offline HTML page (inline CSS and SVG, nothing fetched) for the
exercise designer, from a batch folder's results and manifest."""

from __future__ import annotations

import os
from html import escape
from typing import Any

from tabletop import files, i18n
from tabletop.batch import charts
from tabletop.batch.analysis import analyse, findings
from tabletop.batch.store import Store, read_results

CSS = """body{font-family:"Noto Sans TC","PingFang TC","Microsoft JhengHei",sans-serif;margin:2em auto;max-width:960px;
color:#222;line-height:1.5}h1{font-size:1.6em}h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th:first-child,td:first-child{text-align:left}.note{color:#666;font-size:.9em}ul.find li{margin:.2em 0}"""


def build(folder: str, lang: str = i18n.DEFAULT_LANG) -> tuple[str, list[str]]:
    """Write ``folder/balance.html``; returns its path and the headline findings as text."""
    store = Store(folder)
    manifest = store.manifest()
    rows = read_results(folder)
    policies = manifest.get("policies") or sorted({r["policy"] for r in rows})
    result = analyse(rows, policies, manifest["capabilities"], manifest.get("injects") or [])
    lines = [i18n.t(key, lang, **params) for key, params in findings(result)]
    page = render(result, manifest, lines, lang)
    path = os.path.join(folder, "balance.html")
    files.write_atomic(path, page)
    return path, lines


def _h(text: str) -> str:
    return escape(text)


def render(result: dict[str, Any], manifest: dict[str, Any], lines: list[str], lang: str) -> str:
    t = lambda key, **p: i18n.t(f"batch.report.{key}", lang, **p)  # noqa: E731
    policies = result["policies"]
    parts = [f'<!DOCTYPE html><html lang="{"zh-Hant-TW" if lang == "zh_TW" else "en"}"><head><meta charset="utf-8">'
             f"<title>{_h(t('title'))}</title><style>{CSS}</style></head><body>",
             f"<h1>{_h(t('title'))}</h1>",
             f'<p class="note">{_h(t("about", scenario=manifest.get("scenario_file", ""), sha=manifest.get("scenario_sha256", "")[:12], sessions=result["sessions"], seeds=result["seeds"]))}</p>',
             f"<h2>{_h(t('findings'))}</h2><ul class='find'>" + "".join(f"<li>{_h(x)}</li>" for x in lines) + "</ul>"]
    # Score distributions and separation
    parts.append(f"<h2>{_h(t('distribution'))}</h2>")
    parts.append(charts.histogram(t("distribution"), [(p, result["scores"][p]) for p in policies], 0, 100, 20,
                                  t("overall"), t("sessions")))
    head = "".join(f"<th>{_h(x)}</th>" for x in (t("policy"), "n", t("mean"), "sd", "min", "max"))
    body = "".join(f"<tr><td>{_h(p)}</td>" + "".join(f"<td>{result['overall'][p][k]:.1f}</td>" if k != "n" else
                                                     f"<td>{result['overall'][p][k]}</td>"
                                                     for k in ("n", "mean", "sd", "min", "max")) + "</tr>"
                   for p in policies)
    parts.append(f"<table><tr>{head}</tr>{body}</table>")
    if result["pairs"]:
        parts.append(f"<p>{_h(t('separation_note'))}</p><table><tr><th>{_h(t('pair'))}</th><th>{_h(t('wins'))}</th>"
                     f"<th>{_h(t('diff'))}</th></tr>" + "".join(
                         f"<tr><td>{_h(x['a'])} &gt; {_h(x['b'])}</td><td>{x['wins']:.0%}</td><td>{x['diff']:+.1f}</td></tr>"
                         for x in result["pairs"]) + "</table>")
    caps = result["capabilities"]
    parts.append(f"<h3>{_h(t('by_capability'))}</h3><table><tr><th>{_h(t('capability'))}</th>" +
                 "".join(f"<th>{_h(p)}</th>" for p in policies) + "</tr>" + "".join(
                     f"<tr><td>{_h(_cap(cap, lang))}</td>" + "".join(f"<td>{caps[cap][p]['mean']:.1f}</td>" for p in policies)
                     + "</tr>" for cap in sorted(caps)) + "</table>")
    # Injects
    parts.append(f"<h2>{_h(t('injects'))}</h2>")
    met = result["met"]
    parts.append(charts.bars(t("injects"), [(i, [met[i].get(p, 0.0) for p in policies]) for i in met], policies, 1.0))
    parts.append(f"<table><tr><th>{_h(t('inject'))}</th><th>{_h(t('fire_rate'))}</th>" +
                 "".join(f"<th>{_h(p)}</th>" for p in policies) + "</tr>" + "".join(
                     f"<tr><td>{_h(i)}</td><td>{result['fire_rate'].get(i, 0.0):.0%}</td>" +
                     "".join(f"<td>{met[i][p]:.0%}</td>" if p in met[i] else "<td>–</td>" for p in policies) + "</tr>"
                     for i in met) + "</table>")
    parts.append(f"<h3>{_h(t('cards'))}</h3><p>{_h(t('cards_note'))}</p>")
    if result["cards"]:
        parts.append(f"<table><tr><th>{_h(t('card'))}</th>" + "".join(f"<th>{_h(p)}</th>" for p in policies) + "</tr>" +
                     "".join(f"<tr><td>{_h(c['card'])}</td>" + "".join(
                         f"<td>{c['effect'][p]:+.1f} ({c['drawn'][p]:.0%})</td>" if p in c["effect"] else "<td>–</td>"
                         for p in policies) + "</tr>" for c in result["cards"]) + "</table>")
    else:
        parts.append(f"<p>{_h(t('none'))}</p>")
    parts.append(f"<h3>{_h(t('never'))}</h3><p>{_h(', '.join(result['never']) or t('none'))}</p>")
    # Rules
    parts.append(f"<h2>{_h(t('rules'))}</h2>")
    rules = list(result["rules_total"])[:15]
    if rules:
        peak = max(result["rules_total"].values())
        parts.append(charts.bars(t("rules"), [(r, [result["rules"][p].get(r, 0) for p in policies]) for r in rules],
                                 policies, float(peak), "{:.0f}"))
    else:
        parts.append(f"<p>{_h(t('none'))}</p>")
    # Time to act
    parts.append(f"<h2>{_h(t('time_to_act'))}</h2><p>{_h(t('time_note'))}</p>")
    longest = max([x for p in policies for x in result["act_turns"][p] + result["ack_turns"][p]], default=0)
    hi = float(max(longest + 1, 4))
    parts.append(charts.histogram(t("act"), [(p, result["act_turns"][p]) for p in policies], 0, hi, int(hi),
                                  t("turns_after"), t("actions")))
    parts.append(charts.histogram(t("ack"), [(p, result["ack_turns"][p]) for p in policies], 0, hi, int(hi),
                                  t("turns_after"), t("acks")))
    parts.append(f'<p class="note">{_h(t("footer"))}</p></body></html>\n')
    return "".join(parts)


def _cap(name: str, lang: str) -> str:
    key = f"score.cap.{name}"
    return i18n.t(key, lang) if key in i18n.TABLE else name
