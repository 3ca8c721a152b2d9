"""Benchmark: ``score`` and ``report`` time on a generated 1,000,000-record log (not a timed test).

Two logs, each played through ``Session.submit`` and written with ``LogWriter``:

- default: the Hualien scenario with its scripted actions plus many ``send_message`` and
  ``announce`` commands each turn;
- ``--national``: the generated national scenario (22 counties, 368 townships, a road graph;
  bench/bench_distribution.py's ``scenario``) set up as bench/bench_national.py's ``build``
  does (shortage declared, rice, water and LPG rationed everywhere, ``--stations`` stations
  opened by ``open_station`` commands, stocked by an inject), then whole turns until the log holds
  ``--records`` records (about 1,290 a turn with 2,000 stations since log format 6, 2,000 in format 5:
  messages, deliveries, field reports carrying their stations, distribution).

The national mode times, each in its own child process (``os.wait4`` gives its peak RSS,
``ru_maxrss``: the whole process, interpreter and imports included):

- the baseline: reading the log once through the one log reader with its chain check
  (``iter_records``), keeping nothing (``baseline_read_1m_s``, ``baseline_read_peak_mb``);
- ``score``: the view loaded (chain checked) and ``engine.score`` (what ``tabletop score`` does:
  the scores worked out while the chain child runs); the view's cache and the results beside the
  log (``LOG.scoring-view``, ``LOG.scoring-results``, scoring/viewcache.py) are removed first, so
  ``score`` reads the log and writes both;
- ``report``: the view loaded again, now from that cache (its lines hashed by two children
  against the cache's seal), the scores and the charts' facts ``score`` kept taken, and
  ``report.write`` (score, blocks, HTML, Markdown, JSON),
  what ``tabletop report`` does after its re-simulation (``verify``, engine-bound: not included;
  ``--verify`` adds it as ``verify_1m_s``);
- ``score_report_1m_s``: score plus report, scaled to 1,000,000 records (target 30 s), and the
  larger peak of the two (``score_report_peak_mb``, target 1 GB).

Prints a table, or JSON lines ``{"name", "value", "unit"}`` with ``--json``.

    .venv/bin/python bench/bench_scoring.py [--records 1000000] [--json] [--keep PATH]
    .venv/bin/python bench/bench_scoring.py --national [--records 1000000] [--stations 2000] [--json]
    .venv/bin/python bench/bench_scoring.py --national --log PATH     # measure an existing log
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tabletop import api  # noqa: E402
from tabletop.core.commands import Command  # noqa: E402
from tabletop.logfile import LogWriter  # noqa: E402
from tabletop.runner import control  # noqa: E402
from tabletop.scenario.actions import load_actions  # noqa: E402
from tabletop.api import load_scenario_file  # noqa: E402

SCENARIO = os.path.join(ROOT, "scenarios", "hualien", "scenario.yaml")
ACTIONS = os.path.join(ROOT, "scenarios", "hualien", "actions.yaml")
ROLES = ("supply", "civil_affairs", "social_affairs", "health", "comms", "mobilization")


def generate(path: str, records: int) -> int:
    """Write a log of about ``records`` records; returns the exact count."""
    loaded = load_scenario_file(SCENARIO)
    actions, _ = load_actions(ACTIONS)
    session, header = api.new_session(loaded, 1)
    turns = loaded.scenario.clock.turns
    per_turn = max(1, records // (turns * 3))  # a message is about 3 records
    by_turn: dict[int, list] = {}
    for action in actions:
        by_turn.setdefault(action.turn, []).append(action)
    number = 0
    with LogWriter(path) as writer:
        writer.write([header])

        def submit(command: Command) -> None:
            writer.write(session.submit(command))

        submit(control("start"))
        submit(control("advance"))
        for turn in range(1, turns + 1):
            if turn > 1:
                submit(control("advance"))
            submit(control("advance"))
            for action in by_turn.get(turn, []):
                submit(action.command())
            batch = []
            for index in range(per_turn):
                if writer.count + len(batch) >= records - 40 * (turns - turn + 1):
                    break
                number += 1
                if index % 10 == 9:
                    command = Command(turn, "hualien", "commander", "announce",
                                      {"audience": "全體縣民", "message": f"第 {number} 號公告：請保持冷靜。"})
                else:
                    command = Command(turn, "hualien", ROLES[index % len(ROLES)], "send_message",
                                      {"id": f"bench-{number}", "to": "hualien.commander", "body": f"回報 {number}：一切正常。"})
                batch += session.submit(command)
                if len(batch) >= 5000:
                    writer.write(batch)
                    batch = []
            writer.write(batch)
            submit(control("advance"))
            submit(control("advance"))
        submit(control("advance"))
        submit(control("close"))
        return writer.count


#: Records a national turn writes with 2,000 stations, at least (measured: about 1,290 since log format 6, 2,000 in format 5;
#: 11,300 before): the scenario gets enough turns for ``--records``.
NATIONAL_RECORDS_PER_TURN = 1_000


def generate_national(path: str, records: int, stations: int) -> int:
    """Write a national log of about ``records`` records (bench_national's set-up, every record
    written, then whole turns); returns the exact count."""
    from bench_distribution import scenario
    from bench_national import ADVANCE, build

    per_turn = NATIONAL_RECORDS_PER_TURN
    # bench_national's set-up, its stations stocked at turn 3 by each county's central-allocation
    # inject: the log re-simulates (``--verify``, ``replay``; tests/test_bench_logs.py).
    loaded = scenario(turns=max(12, records // per_turn + 8), stations=stations)
    with LogWriter(path) as writer:
        session, _ = build(loaded, stations, write=writer.write)
        while writer.count < records and session.turn < loaded.scenario.clock.turns:
            writer.write(session.submit(ADVANCE))
        return writer.count


def _child(mode: str, path: str, out: str) -> dict[str, float]:
    """Run ``--child MODE`` in a fresh interpreter: its figures and its peak RSS (MB, ``os.wait4``)."""
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--child", mode, "--log", path, "--out", out],
                            stdout=subprocess.PIPE, env=env)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode == 0, f"child {mode} failed ({proc.returncode})"
    figures = json.loads(output)
    figures["peak_mb"] = usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux
    figures["cpu_s"] = usage.ru_utime + usage.ru_stime  # its own and its children's (the chain check's)
    return figures


def child(mode: str, path: str, out: str) -> int:
    """One measurement in this process (see the module doc); prints its figures as JSON."""
    figures: dict[str, float] = {}
    start = time.perf_counter()
    if mode == "read":
        from tabletop.logfile import iter_records

        count = sum(1 for _ in iter_records(path))
        figures["records"] = count
    elif mode == "score":
        from tabletop.scoring import engine, logview

        # As ``tabletop score`` does: a view loaded from its cache is scored while the chain is checked.
        view = logview.load(path, progress=False, meanwhile=engine.warm)
        figures["load"] = time.perf_counter() - start
        engine.score(view)
    elif mode == "report":
        from tabletop.scoring import engine, logview, report

        view = logview.load(path, progress=False, meanwhile=engine.warm)
        figures["load"] = time.perf_counter() - start
        report.write(view, out, "zh_TW")
    elif mode in ("report_verified", "report_verified_serial"):
        # What ``tabletop report`` does: the full verify, then the report. By default the
        # re-simulation runs in a child process while the view is read and scored (two CPUs);
        # ``_serial``: one after the other, as before.
        from tabletop.scoring import engine, logview, report

        if mode.endswith("_serial"):
            logview.PARALLEL_BYTES = 1 << 62
        view = logview.load(path, progress=False, verify=True, allow_broken=True, meanwhile=engine.warm)
        figures["load"] = time.perf_counter() - start
        figures["verified"] = view.integrity["status"] == "verified"
        report.write(view, out, "zh_TW")
    elif mode == "verify":
        from tabletop import replay

        figures["verified"] = replay.verify(path).ok
    figures["seconds"] = time.perf_counter() - start
    print(json.dumps(figures))
    return 0


def national(args: argparse.Namespace) -> int:
    from figures import Figure, report

    folder = tempfile.mkdtemp(prefix="bench-scoring-national-")
    path = args.log or args.keep or os.path.join(folder, "national.jsonl")
    figures: list[Figure] = []
    if not args.log:
        start = time.perf_counter()
        generate_national(path, args.records, args.stations)
        figures.append(Figure("generate_seconds", time.perf_counter() - start, f"s ({args.stations} stations)"))
    read = _child("read", path, "")
    count = int(read["records"])
    per = 1e6 / count
    from tabletop.scoring import viewcache

    cache, results = viewcache.path_of(path), viewcache.results_path_of(path)
    for kept in (cache, results):  # score reads the log and keeps its view and results, report then loads them
        if os.path.exists(kept):
            os.remove(kept)
    score = _child("score", path, "")
    cached = os.path.getsize(cache) / 1e6 if os.path.exists(cache) else 0.0
    made = _child("report", path, os.path.join(folder, "report"))
    total = score["seconds"] + made["seconds"]
    figures += [
        Figure("log_records", count, "records"),
        Figure("log_size", os.path.getsize(path) / 1e6, "MB"),
        Figure("score_report_1m_s", total * per,
               f"s per 1,000,000 records (score {score['seconds']:.2f} s + report {made['seconds']:.2f} s "
               f"on {count:,} records; target 30)"),
        Figure("score_report_cpu_1m_s", (score["cpu_s"] + made["cpu_s"]) * per,
               "s CPU per 1,000,000 records (user + system, the chain-check children included)"),
        Figure("score_report_peak_mb", max(score["peak_mb"], made["peak_mb"]),
               "MiB peak RSS of the score and report processes (ru_maxrss; target 1 GB)"),
        Figure("score_seconds", score["seconds"], f"s (load {score['load']:.2f} s, chain checked, view cached)"),
        Figure("report_seconds", made["seconds"], f"s (load {made['load']:.2f} s from the cache, chain checked, "
                                                  "the results score kept taken; no re-simulation)"),
        Figure("view_cache_mb", cached, "MB (the view cached beside the log by score, loaded by report)"),
        Figure("score_peak_mb", score["peak_mb"], "MB"),
        Figure("report_peak_mb", made["peak_mb"], "MB"),
        Figure("baseline_read_1m_s", read["seconds"] * per,
               f"s per 1,000,000 records (baseline: read and chain-check the log once, {read['seconds']:.2f} s)"),
        Figure("baseline_read_cpu_1m_s", read["cpu_s"] * per, "s CPU per 1,000,000 records (baseline)"),
        Figure("baseline_read_peak_mb", read["peak_mb"], "MB peak RSS (baseline: reading keeps nothing)"),
    ]
    if args.verify:
        figures += verify_figures(path, folder, count, score["seconds"])
    if not (args.keep or args.log):
        os.remove(path)
        for kept in (cache, results):
            if os.path.exists(kept):
                os.remove(kept)
    return report(figures, args.json, "scoring (national)", f"{count:,} records, each step in a fresh process")


def verify_figures(path: str, folder: str, count: int, score_seconds: float) -> list:
    """``--verify``: the re-simulation alone, and ``report`` as the CLI runs it (verify first), with
    the re-simulation beside the scoring (two CPUs) and one after the other."""
    from figures import Figure

    per = 1e6 / count
    verified = _child("verify", path, "")
    out = [Figure("verify_1m_s", verified["seconds"] * per,
                  "s per 1,000,000 records (re-simulation alone; engine-bound)"
                  + ("" if verified["verified"] else "; THE LOG DOES NOT RE-SIMULATE: figures below are not comparable"))]
    for mode, label in (("report_verified", "re-simulation in a child beside the scoring"),
                        ("report_verified_serial", "re-simulation, then the scoring")):
        made = _child(mode, path, os.path.join(folder, mode))
        out += [Figure(f"{mode}_1m_s", made["seconds"] * per, f"s per 1,000,000 records (report with verify: {label}; "
                                                               f"{made['seconds']:.2f} s)"),
                Figure(f"score_{mode}_1m_s", (score_seconds + made["seconds"]) * per,
                       "s per 1,000,000 records (score + report with verify)"),
                Figure(f"{mode}_peak_mb", made["peak_mb"], "MiB peak RSS (ru_maxrss: the larger of the report process and its re-simulation child)")]
    return out


def measure(path: str, out: str) -> dict[str, float]:
    from tabletop.scoring import engine, logview, report

    figures: dict[str, float] = {}
    start = time.perf_counter()
    view = logview.load(path, progress=False)
    figures["load"] = time.perf_counter() - start
    start = time.perf_counter()
    engine.score(view)
    figures["score_metrics"] = time.perf_counter() - start
    figures["score_total"] = figures["load"] + figures["score_metrics"]
    start = time.perf_counter()
    report.write(logview.load(path, progress=False), out, "zh_TW")
    figures["report_total"] = time.perf_counter() - start
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true", help="print JSON lines {name, value, unit}")
    parser.add_argument("--keep", help="write the generated log here (kept) instead of a temporary file")
    parser.add_argument("--national", action="store_true", help="a national 22-county log (see the module doc)")
    parser.add_argument("--stations", type=int, default=2000, help="--national: stations opened (default 2,000)")
    parser.add_argument("--log", help="--national: measure this log instead of generating one")
    parser.add_argument("--verify", action="store_true", help="--national: also time the re-simulation (verify)")
    parser.add_argument("--child", choices=("read", "score", "report", "verify", "report_verified",
                                             "report_verified_serial"), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.log, args.out)
    if args.national:
        return national(args)
    folder = tempfile.mkdtemp(prefix="bench-scoring-")
    path = args.keep or os.path.join(folder, "bench.jsonl")
    start = time.perf_counter()
    count = generate(path, args.records)
    generated = time.perf_counter() - start
    size = os.path.getsize(path) / 1e6
    figures = measure(path, os.path.join(folder, "report"))
    rows = [("log_records", count, "records"), ("log_size", round(size, 1), "MB"),
            ("generate_seconds", round(generated, 2), "s"),
            ("score_load_seconds", round(figures["load"], 2), "s"),
            ("score_metrics_seconds", round(figures["score_metrics"], 2), "s"),
            ("score_seconds", round(figures["score_total"], 2), "s"),
            ("report_seconds", round(figures["report_total"], 2), "s"),
            ("score_records_per_second", round(count / figures["score_total"]), "records/s")]
    if args.json:
        for name, value, unit in rows:
            print(json.dumps({"name": name, "value": value, "unit": unit}))
    else:
        print(f"{'metric':28} {'value':>14}  unit")
        for name, value, unit in rows:
            print(f"{name:28} {value:>14,}  {unit}")
    if not args.keep:
        os.remove(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
