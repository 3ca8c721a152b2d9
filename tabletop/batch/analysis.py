"""What the balance report and ``lint --balance`` say, computed from a batch's rows alone.

Every figure is a plain function of the rows (sorted iteration, no sampling), so the same
results give the same report.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from statistics import mean, pstdev
from typing import Any

#: A capability "separates" two policies when their mean scores differ by at least this many points.
SEPARATES = 5.0
#: An inject is "hard" when the best policy meets less than this share of its expected actions.
HARD = 0.5


def by_policy(rows: list[dict[str, Any]], policies: list[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {p: [] for p in policies}
    for row in sorted(rows, key=lambda r: r["seed"]):
        out.setdefault(row["policy"], []).append(row)
    return out


def wins(a: list[float], b: list[float]) -> float:
    """The share of (a, b) pairs where a scores above b, ties counting half (the common-language effect size)."""
    if not a or not b:
        return 0.0
    sb = sorted(b)
    import bisect

    total = 0.0
    for x in a:
        below = bisect.bisect_left(sb, x)
        equal = bisect.bisect_right(sb, x) - below
        total += below + equal / 2
    return total / (len(a) * len(b))


def summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0, "mean": 0.0, "sd": 0.0, "min": 0.0, "max": 0.0}
    return {"n": len(values), "mean": mean(values), "sd": pstdev(values), "min": min(values), "max": max(values)}


def analyse(rows: list[dict[str, Any]], policies: list[str], capabilities: list[str],
            injects: list[dict[str, Any]]) -> dict[str, Any]:
    groups = by_policy(rows, policies)
    policies = [p for p in groups if groups[p]]
    overall = {p: [r["overall"] for r in groups[p] if r["overall"] is not None] for p in policies}
    out: dict[str, Any] = {"policies": policies, "sessions": len(rows), "seeds": len({r["seed"] for r in rows}),
                           "overall": {p: summary(overall[p]) for p in policies}, "scores": overall}
    out["pairs"] = []
    for i, first in enumerate(policies):
        for second in policies[i + 1:]:
            # the better-scoring policy first, so "wins" reads as how clearly it is better
            a, b = (first, second) if mean(overall[first] or [0]) >= mean(overall[second] or [0]) else (second, first)
            out["pairs"].append({"a": a, "b": b, "wins": wins(overall[a], overall[b]),
                                 "diff": summary(overall[a])["mean"] - summary(overall[b])["mean"]})
    out["capabilities"] = {
        cap: {p: summary([r[cap] for r in groups[p] if r.get(cap) is not None]) for p in policies}
        for cap in capabilities}
    best, worst = _ends(out["overall"])
    out["best"], out["worst"] = best, worst
    out["flat"] = [cap for cap in capabilities if best and worst and
                   out["capabilities"][cap][best]["mean"] - out["capabilities"][cap][worst]["mean"] < SEPARATES]
    out["met"] = _met(groups, policies)
    out["hard"] = sorted(i for i, rates in out["met"].items() if best in rates and rates[best] < HARD)
    out["cards"] = _cards(groups, policies)
    fired = Counter(i for r in rows for i in set(json.loads(r["fired"])))
    out["fire_rate"] = {spec["id"]: fired[spec["id"]] / len(rows) if rows else 0.0 for spec in injects}
    out["never"] = [spec["id"] for spec in injects if spec["how"] != "scheduled" and not fired[spec["id"]]]
    out["rules"] = {p: dict(sorted(sum((Counter(json.loads(r["rejections"])) for r in groups[p]), Counter()).items(),
                                   key=lambda kv: (-kv[1], kv[0]))) for p in policies}
    total = sum((Counter(v) for v in out["rules"].values()), Counter())
    out["rules_total"] = dict(sorted(total.items(), key=lambda kv: (-kv[1], kv[0])))
    out["act_turns"] = {p: [t for r in groups[p] for t in json.loads(r["act_turns"])] for p in policies}
    out["ack_turns"] = {p: [t for r in groups[p] for t in json.loads(r["ack_turns"])] for p in policies}
    return out


def _ends(overall: dict[str, dict[str, float]]) -> tuple[str | None, str | None]:
    ranked = sorted(overall, key=lambda p: (-overall[p]["mean"], p))
    return (ranked[0], ranked[-1]) if len(ranked) >= 2 else (ranked[0] if ranked else None, None)


def _met(groups: dict[str, list[dict[str, Any]]], policies: list[str]) -> dict[str, dict[str, float]]:
    """Inject -> policy -> mean share of its expected actions met, over the sessions it fired in."""
    sums: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for p in policies:
        for row in groups[p]:
            for inject, share in json.loads(row["inject_met"]).items():
                sums[inject][p].append(share)
    return {i: {p: mean(v) for p, v in sorted(per.items())} for i, per in sorted(sums.items())}


def _cards(groups: dict[str, list[dict[str, Any]]], policies: list[str]) -> list[dict[str, Any]]:
    """Each drawn card: per policy, mean overall of sessions that drew it minus those that did not;
    sorted by the largest move under any policy."""
    cards = sorted({c for p in policies for r in groups[p] for c in json.loads(r["cards"])})
    out = []
    for card in cards:
        effect: dict[str, float] = {}
        drawn: dict[str, float] = {}
        for p in policies:
            with_card = [r["overall"] for r in groups[p] if card in json.loads(r["cards"]) and r["overall"] is not None]
            without = [r["overall"] for r in groups[p] if card not in json.loads(r["cards"]) and r["overall"] is not None]
            drawn[p] = len(with_card) / len(groups[p]) if groups[p] else 0.0
            if with_card and without:
                effect[p] = mean(with_card) - mean(without)
        move = max((abs(v) for v in effect.values()), default=0.0)
        out.append({"card": card, "effect": effect, "drawn": drawn, "move": move})
    return sorted(out, key=lambda c: (-c["move"], c["card"]))


def findings(result: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The headline findings as translation keys and parameters (``batch.find.*``)."""
    out: list[tuple[str, dict[str, Any]]] = [("batch.find.sessions", {"sessions": result["sessions"],
                                                                       "seeds": result["seeds"],
                                                                       "policies": ", ".join(result["policies"])})]
    for p in result["policies"]:
        s = result["overall"][p]
        out.append(("batch.find.policy", {"policy": p, "mean": f"{s['mean']:.1f}", "sd": f"{s['sd']:.1f}",
                                          "min": f"{s['min']:.1f}", "max": f"{s['max']:.1f}"}))
    for pair in result["pairs"]:
        key = "batch.find.pair" if pair["wins"] >= 0.9 else "batch.find.pair_weak"
        out.append((key, {"a": pair["a"], "b": pair["b"], "wins": f"{pair['wins'] * 100:.0f}",
                          "diff": f"{pair['diff']:+.1f}"}))
    if result["flat"]:
        out.append(("batch.find.flat", {"best": result["best"], "worst": result["worst"],
                                        "caps": ", ".join(result["flat"]), "points": f"{SEPARATES:.0f}"}))
    if result["never"]:
        out.append(("batch.find.never", {"injects": ", ".join(result["never"])}))
    if result["hard"]:
        out.append(("batch.find.hard", {"policy": result["best"], "injects": ", ".join(result["hard"])}))
    if result["cards"] and result["cards"][0]["move"] > 0:
        card = result["cards"][0]
        policy = max(card["effect"], key=lambda p: abs(card["effect"][p]))
        out.append(("batch.find.card", {"card": card["card"], "policy": policy,
                                        "effect": f"{card['effect'][policy]:+.1f}"}))
    if result["rules_total"]:
        rule, count = next(iter(result["rules_total"].items()))
        out.append(("batch.find.rule", {"rule": rule, "count": count}))
    return out
