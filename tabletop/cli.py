"""Command-line interface: ``run``, ``validate``, ``verify`` (and the no-argument default run).

Exit codes: 0 success, 1 a failed check, 2 bad input.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Sequence

from tabletop import i18n
from tabletop.api import DEFAULT_SCENARIO  # what the bare command plays

OK, FAILED, BAD_INPUT = 0, 1, 2


def seed_value(text: str) -> int:
    """A session seed: an integer from 0 to 2^53 − 1 (what every JSON reader holds exactly)."""
    from tabletop.api import MAX_SEED

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be from 0 to {MAX_SEED}")
    return value


#: Modules adding subcommands: each has ``cli(subparsers)``, and every parser it adds sets
#: ``func=callable(args) -> exit code``. Kept light: what they run loads when they run.
SUBCOMMANDS = (
    "tabletop.scoring.cli",  # score, report, compare
    "tabletop.ui.replay.cli",  # replay
    "tabletop.server.cli",  # serve (the exercise room)
    "tabletop.requisition.cli",  # registry, ledger
    "tabletop.paper.cli",  # msel export|import, cards (the exercise office's formats)
    "tabletop.batch.cli",  # batch, balance (policy bots at scale)
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="run_exercise.py",
        description="tabletop: mobilization tabletop exercises (兵棋推演). With no subcommand, plays the default scenario.")
    parser.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG, help="language of messages (default zh_TW)")
    console = parser.add_argument_group("console (no subcommand)", "Open the pygame console where a display exists.")
    console.add_argument("--scenario", dest="ui_scenario", metavar="SCENARIO", help="scenario to open (default: Hualien)")
    console.add_argument("--pick", dest="ui_pick", action="store_true", help="choose the scenario or a log in a file picker")
    console.add_argument("--log", dest="ui_log", metavar="LOG", help="log of the new session (default: a new file under out/)")
    console.add_argument("--resume", dest="ui_resume", metavar="LOG", help="resume the session recorded in LOG (after a crash)")
    console.add_argument("--seed", dest="ui_seed", type=seed_value, default=1, help="session seed (default 1)")
    console.add_argument("--headless", dest="ui_headless", action="store_true", help="never open a window: scripted text run")
    console.add_argument("--facilitator-pin", dest="ui_pin", metavar="PIN",
                         default=os.environ.get("TABLETOP_FACILITATOR_PIN"),
                         help="once a trainee logs in (F3), the console needs this PIN (default: $TABLETOP_FACILITATOR_PIN)")
    console.add_argument("--serve", dest="ui_serve", action="store_true",
                         help="also serve the session to the seats' browsers (the exercise room, docs/server.md): the "
                              "console is the projector, with the join sheet (J) and the connected seats (O)")
    console.add_argument("--host", dest="ui_host", default="127.0.0.1",
                         help="with --serve: address to bind (default 127.0.0.1; the LAN address of the hotspot to seat "
                              "other devices)")
    console.add_argument("--port", dest="ui_port", type=int, default=8765,
                         help="with --serve: port (default 8765; 0 picks a free one)")
    console.add_argument("--seats-out", dest="ui_seats_out", metavar="SEATS.json",
                         help="with --serve: also write the join links to this file")
    console.add_argument("--screenshot", metavar="PATH", help="render one frame of the console to PATH (PNG) and exit")
    console.add_argument("--at", type=int, default=1, metavar="TURN", help="with --screenshot: the turn to show (orders phase)")
    console.add_argument("--screen", default="facilitator", metavar="NAME",
                         help="with --screenshot: facilitator, facilitator:COUNTY (the map filtered to one county), eoc, "
                              "help, login or trainee:COUNTY.ROLE")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="play a scenario turn by turn", description="Play a scenario with scripted commands and write its log.")
    run.add_argument("scenario", help="scenario YAML file")
    run.add_argument("--headless", action="store_true", help="no window: print a turn-by-turn summary")
    run.add_argument("--seed", type=seed_value, default=None, help="session seed (default 1; taken from the log with --resume)")
    run.add_argument("--actions", help="YAML list of {turn, county, role, do, args} issued in each turn's orders phase")
    run.add_argument("--turns", type=int, default=None, help="play only the first K turns (default: all)")
    run.add_argument("--log", required=True, help="where to write the JSON Lines log")
    run.add_argument("--resume", metavar="LOG", help="continue the session recorded in LOG (normally the same file as --log)")
    run.add_argument("--quiet", action="store_true", help="print only where the log went")
    run.add_argument("--force", action="store_true",
                     help="overwrite an existing --log (without it, an existing log is never touched: exit 2)")
    run.add_argument("--bots", metavar="POLICY[,SEAT=POLICY...]",
                     help="policy bots play seats from what each seat sees (idle, by_the_book, late:N, chaotic): a bare "
                          "POLICY fills every seat not named; seats left out play the actions file (docs/batch.md)")

    validate = sub.add_parser("validate", help="check scenario files", description="Report every problem as path:line:col: message.")
    validate.add_argument("scenarios", nargs="+", metavar="SCENARIO")
    validate.add_argument("--actions", metavar="FILE",
                          help="also check this actions file against each scenario: unknown kinds, counties, roles "
                               "and turns after the last are errors, likely mistakes warnings (path:line:col: warning: ...)")

    lint = sub.add_parser("lint", help="warn about likely mistakes in scenario files",
                          description="Validate, then warn (path:line:col: warning: ...) about capabilities no inject "
                                      "exercises, injects with no expected action, triggers that can never fire, "
                                      "overlapping alerts and effects naming unknown places. Exit 0 unless a file is invalid.")
    lint.add_argument("scenarios", nargs="+", metavar="SCENARIO")
    lint.add_argument("--balance", action="store_true",
                      help="also play a small batch (20 seeds x by_the_book, late:2, idle, in this process, under a "
                           "minute) and print the balance report's headline findings")

    verify = sub.add_parser("verify", help="check a log's hash chain and re-simulate it",
                            description="Check the hash chain, then re-simulate from the header and the logged commands.")
    verify.add_argument("log", metavar="LOG")
    verify.add_argument("--seal", metavar="HASH",
                        help="the log's final hash as written down at close: the log must end with exactly that hash")

    for name in SUBCOMMANDS:
        importlib.import_module(name).cli(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(_file_first(parser, list(sys.argv[1:] if argv is None else argv)))
    from tabletop.files import FileProblem

    try:
        return _dispatch(args)
    except FileProblem as err:  # a file that must not or cannot be written: a clear message, exit 2
        lang = getattr(args, "report_lang", None) or getattr(args, "replay_lang", None) or args.lang
        print(err.text(lang), file=sys.stderr)
        return BAD_INPUT
    except BrokenPipeError:
        return _quiet_broken_pipe()


def _quiet_broken_pipe() -> int:
    """The reader went away (``score | head``): stop quietly, as Unix tools do, no traceback.

    Python would try to flush stdout again at exit and report the same broken pipe, so stdout
    is pointed at /dev/null first."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return 0


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "validate":
        return cmd_validate(args)
    if args.command == "verify":
        return cmd_verify(args)
    if args.command == "lint":
        return cmd_lint(args)
    if args.command == "run":
        return cmd_run(args)
    if getattr(args, "func", None) is not None:
        return int(args.func(args))
    return cmd_default(args)


def _file_first(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """``run_exercise.py SCENARIO.yaml`` opens that scenario (``--scenario``) and
    ``run_exercise.py LOG.jsonl`` resumes that log (``--resume``), as a facilitator expects."""
    commands: set[str] = set()
    takes_value: set[str] = set()  # options followed by a value (--seed N, --log LOG ...)
    for action in parser._actions:  # noqa: SLF001  (argparse keeps its actions here)
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            commands = set(action.choices)
        elif action.option_strings and action.nargs != 0:
            takes_value.update(action.option_strings)
    for index, arg in enumerate(argv):
        if arg.startswith("-") or (index and argv[index - 1] in takes_value):
            continue
        if arg in commands:
            return argv
        if arg.endswith((".yaml", ".yml")):
            return argv[:index] + ["--scenario", arg] + argv[index + 1:]
        if arg.endswith(".jsonl"):
            return argv[:index] + ["--resume", arg] + argv[index + 1:]
        return argv
    return argv


def cmd_validate(args: argparse.Namespace) -> int:
    from tabletop.scenario.actions import read_actions
    from tabletop.api import load_scenario_file, scenario_of

    worst = OK
    actions = None
    if getattr(args, "actions", None):
        actions = read_actions(args.actions)
        for problem in actions.problems:
            print(problem.text(args.lang))
        if not actions.ok:
            worst = BAD_INPUT
    for path in args.scenarios:
        loaded = load_scenario_file(path)
        for problem in loaded.problems:
            print(problem.text(args.lang))
        if loaded.ok:
            scenario = scenario_of(loaded)
            print(f"{path}: ok ({len(scenario.counties)} counties, "
                  f"{sum(len(c.townships) for c in scenario.counties)} townships, {len(scenario.injects)} injects)")
            if actions is not None and actions.ok and _report_actions(actions, scenario, args.lang, sys.stdout):
                worst = BAD_INPUT
        else:
            worst = BAD_INPUT
    return worst


def _report_actions(actions, scenario, lang: str, out, summary: bool = True) -> bool:
    """Print the actions file's errors and warnings against ``scenario`` (and a summary line,
    always or, with ``summary=False``, when there is something to report); True if there is an error."""
    from tabletop.api import check_actions

    problems = check_actions(actions, scenario)
    for problem in problems:
        print(problem.text(lang), file=out)
    errors = sum(1 for p in problems if p.is_error)
    if summary or problems:
        print(i18n.t("actions.summary", lang, file=actions.path, actions=len(actions.actions), errors=errors,
                     warnings=len(problems) - errors), file=out)
    return errors > 0


def cmd_lint(args: argparse.Namespace) -> int:
    from tabletop.api import lint
    from tabletop.api import load_scenario_file
    from tabletop.scenario.yamlnodes import load_located

    worst = OK
    for path in args.scenarios:
        loaded = load_scenario_file(path)
        for problem in loaded.problems:
            print(problem)
        if not loaded.ok:
            worst = BAD_INPUT
            continue
        doc, _ = load_located(loaded.text, path)
        warnings = lint(loaded.scenario)
        for where, message in warnings:
            line, col = doc.where(where) if doc else (1, 1)
            print(f"{path}:{line}:{col}: warning: {message}")
        glyphs = _no_glyph_warnings(path, loaded.text, args.lang)
        print(f"{path}: {len(warnings) + glyphs} warning(s)")
        if getattr(args, "balance", False):
            from tabletop.batch.cli import lint_balance

            lint_balance(path, args.lang)
    return worst


def _no_glyph_warnings(path: str, text: str, lang: str) -> int:
    """Warn at file:line:col for each character no shipped font draws (a blank in the console,
    the seat pages and the PDFs); returns how many."""
    from tabletop import fonts

    missing = fonts.uncovered(text)
    for line, col, char in missing:
        print(f"{path}:{line}:{col}: " + i18n.t("paper.lint.no_glyph", lang, char=char, code=f"U+{ord(char):04X}"))
    return len(missing)


def cmd_verify(args: argparse.Namespace) -> int:
    from tabletop.replay import verify

    if not os.path.isfile(args.log):
        print(f"{args.log}: no such file", file=sys.stderr)
        return BAD_INPUT
    verdict = verify(args.log, seal=args.seal)
    if verdict.ok:
        print(i18n.t("cli.verify_ok", args.lang, records=verdict.records))
        print(i18n.t("cli.seal", args.lang, seal=verdict.seal))
        if not args.seal:
            print(i18n.t("cli.no_seal", args.lang))
        if verdict.state != "closed":
            print(i18n.t("cli.not_closed", args.lang, state=i18n.t(f"state.{verdict.state}", args.lang)))
        return OK
    if verdict.not_resimulated == "format":
        print(i18n.t("cli.verify_other_engine", args.lang, log=args.log, records=verdict.records,
                     engine=verdict.engine, detail=verdict.message))
        print(i18n.t("cli.seal", args.lang, seal=verdict.seal))
        return FAILED
    print(i18n.t("cli.verify_failed", args.lang, log=args.log, seq=verdict.bad_seq, detail=verdict.message))
    return FAILED


def _load_or_report(path: str):
    from tabletop.api import load_scenario_file

    loaded = load_scenario_file(path)
    for problem in loaded.problems:
        print(problem, file=sys.stderr)
    return loaded if loaded.ok else None


def cmd_run(args: argparse.Namespace) -> int:
    from tabletop.runner import ResumeError, run
    from tabletop.scenario.actions import read_actions

    refused = _refuse_existing_log(args)
    if refused is not None:
        return refused
    loaded = _load_or_report(args.scenario)
    if loaded is None:
        return BAD_INPUT
    actions = []
    if args.actions:
        read = read_actions(args.actions)
        for problem in read.problems:
            print(problem.text(args.lang), file=sys.stderr)
        # The same checks as validate --actions: warnings printed, errors refuse the run.
        if not read.ok or _report_actions(read, loaded.scenario, args.lang, sys.stderr, summary=False):
            return BAD_INPUT
        actions = read.actions
    if args.turns is not None and args.turns < 1:
        print("--turns must be at least 1", file=sys.stderr)
        return BAD_INPUT
    if getattr(args, "bots", None):
        from tabletop.batch.cli import run_with_bots

        return run_with_bots(args, loaded, actions)
    if args.resume and os.path.abspath(args.resume) != os.path.abspath(args.log):
        if not os.path.isfile(args.resume):
            print(f"{args.resume}: no such log to resume", file=sys.stderr)
            return BAD_INPUT
        _copy_log(args.resume, args.log)  # the original is left alone; --log is whole or absent
    elif not args.resume and getattr(args, "force", False) and os.path.lexists(args.log):
        _remove_log(args.log)  # --force: the earlier log goes, the new session starts a new file
    if not args.headless and not args.quiet:
        print(i18n.t("cli.no_console_yet", args.lang))
    printer = None if args.quiet else (lambda tally: print(i18n.t("cli.turn_summary", args.lang, **vars(tally))))
    try:
        result = run(loaded, args.seed, actions, args.log, turns=args.turns, resume=bool(args.resume), on_turn=printer)
    except ResumeError as err:
        print(err, file=sys.stderr)
        return BAD_INPUT
    except OSError as err:  # the disk refused the log (full, read-only): what was accepted is in it
        from tabletop import files

        key = "files.log_write_failed" if os.path.isfile(args.log) else "files.cannot_write"  # never created
        print(files.problem(err, args.log, key).text(args.lang), file=sys.stderr)
        return BAD_INPUT
    if not args.quiet:
        print(i18n.t("cli.final_state", args.lang, state=i18n.t(f"state.{result.session.state}", args.lang)))
    print(i18n.t("cli.log_written", args.lang, path=args.log, records=result.records))
    return OK


def _refuse_existing_log(args: argparse.Namespace) -> int | None:
    """``run --log EXISTING`` never touches that file unless ``--force`` (or ``--resume`` of that
    same file): exit 2 with a message saying how to continue or overwrite it."""
    from tabletop import files

    if not os.path.lexists(args.log) or getattr(args, "force", False):
        return None
    if args.resume and os.path.abspath(args.resume) == os.path.abspath(args.log):
        return None
    print(files.FileProblem("files.exists", args.log, "files.reason.exists").text(args.lang), file=sys.stderr)
    return BAD_INPUT


def _copy_log(source: str, target: str) -> None:
    """Copy a log to a new name: a temporary file beside ``target``, fsync'd, then renamed."""
    import shutil

    from tabletop import files

    files.write_via(target, lambda tmp: shutil.copyfile(source, tmp))


def _remove_log(path: str) -> None:
    """``--force``: the earlier log goes. Only a regular file is ever removed (never a device,
    a folder or a symbolic link's target)."""
    from tabletop import files

    if os.path.islink(path) or not os.path.isfile(path):
        raise files.FileProblem("files.not_a_log_file", path, "files.reason.not_regular")
    try:
        os.remove(path)
    except OSError as err:
        raise files.problem(err, path) from err


def cmd_default(args: argparse.Namespace) -> int:
    """No subcommand: open the console where a display exists, else play the default
    scenario's scripted playthrough headless. ``--screenshot`` renders one frame."""
    from tabletop.scenario.validate import resolve_ref

    scenario = getattr(args, "ui_scenario", None) or DEFAULT_SCENARIO
    if getattr(args, "screenshot", None):
        from tabletop.ui.main import screenshot

        return screenshot(scenario, args.screenshot, args.at, args.screen, args.ui_seed, args.lang, args.ui_log)
    if getattr(args, "ui_serve", False):
        from tabletop.ui.main import serve_window

        return serve_window(args)
    display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    windowed = bool(display) and os.environ.get("SDL_VIDEODRIVER") != "dummy" and not getattr(args, "ui_headless", False)
    if windowed:
        from tabletop.ui.console import ResumeFailed
        from tabletop.ui.main import open_console, run_window

        try:
            console = open_console(scenario, args.ui_log, args.ui_resume, args.ui_seed, args.lang, args.ui_pick)
        except ResumeFailed as err:
            print(err, file=sys.stderr)
            return BAD_INPUT
        return run_window(console, args.lang, args.ui_pin) if console is not None else BAD_INPUT
    if getattr(args, "ui_resume", None):
        print(i18n.t("cli.resume_headless", args.lang, log=args.ui_resume), file=sys.stderr)
        return BAD_INPUT
    loaded = _load_or_report(scenario)
    if loaded is None:
        return BAD_INPUT
    print(i18n.t("cli.headless", args.lang))
    seed = getattr(args, "ui_seed", 1)
    from tabletop.files import free_path

    # An explicit --log that exists is refused by cmd_run; the default name never overwrites
    # an earlier playthrough (out/ID-seedN.jsonl, then out/ID-seedN-2.jsonl, ...).
    argv = ["--lang", args.lang, "run", scenario, "--headless", "--seed", str(seed),
            "--log", getattr(args, "ui_log", None)
            or free_path(os.path.join("out", f"{loaded.scenario.scenario.id}-seed{seed}.jsonl"))]
    if loaded.scenario.scenario.default_actions:
        argv += ["--actions", resolve_ref(scenario, loaded.scenario.scenario.default_actions)]
    args = _parser().parse_args(argv)
    args.headless = True
    return cmd_run(args)
