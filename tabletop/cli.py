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



def _window_size(text: str) -> tuple[int, int]:
    """``1920x1080`` -> (1920, 1080)."""
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise argparse.ArgumentTypeError(i18n.t("cli.bad_size", _argv_lang(), text=repr(text)))
    return int(width), int(height)

def seed_value(text: str) -> int:
    """A session seed: an integer from 0 to 2^53 − 1 (what every JSON reader holds exactly)."""
    from tabletop.api import MAX_SEED

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(i18n.t("cli.not_an_integer", _argv_lang(), text=repr(text))) from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(i18n.t("cli.seed_range", _argv_lang(), limit=MAX_SEED))
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


def _argv_lang(argv: Sequence[str] | None = None) -> str:
    """The language asked for on the command line (``--lang en`` / ``--lang=en``), read before
    parsing so that help, usage and argparse's own errors are in it; default zh_TW."""
    words = list(sys.argv[1:] if argv is None else argv)
    for index, word in enumerate(words):
        if word == "--lang" and index + 1 < len(words) and words[index + 1] in i18n.LANGS:
            return words[index + 1]
        if word.startswith("--lang=") and word.split("=", 1)[1] in i18n.LANGS:
            return word.split("=", 1)[1]
    return i18n.DEFAULT_LANG


def _argparse_words(lang: str) -> None:
    """argparse's own words (usage, options, its error messages) in ``lang``: argparse looks them
    up through its module's gettext ``_`` when it builds a parser and when it reports."""
    import gettext

    if lang == "en":
        argparse._ = gettext.gettext  # type: ignore[attr-defined]
        return
    words = {i18n.TABLE[key]["en"]: i18n.TABLE[key][lang] for key in i18n.TABLE if key.startswith("argparse.")}
    argparse._ = lambda text: words.get(text, text)  # type: ignore[attr-defined]


def help_key(path: tuple[str, ...], action: argparse.Action | None = None, what: str | None = None) -> str:
    """The translation key of one help text: ``help.run.--seed``, ``help.run.description``..."""
    parts = ["help", *path]
    if action is not None:
        parts.append((action.option_strings or [action.dest])[0])
    if what:
        parts.append(what)
    return ".".join(parts)


def help_texts(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """Every help text of ``parser`` and its subcommands: (key, owner, attribute) to read or set."""
    if parser.description:
        yield help_key(path, what="description"), parser, "description"
    for group in parser._action_groups:  # noqa: SLF001  (argparse keeps its groups here)
        if group.description:
            name = getattr(group, "tabletop_key", None) or (group.title or "").split(" ")[0]
            yield help_key(path, what=f"group.{name}"), group, "description"
    for action in parser._actions:  # noqa: SLF001
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            for choice in action._choices_actions:  # noqa: SLF001
                yield help_key(path + (choice.dest,), what="summary"), choice, "help"
            for name, sub in action.choices.items():
                yield from help_texts(sub, path + (name,))
        elif action.help and action.help != argparse.SUPPRESS and action.dest != "help":
            yield help_key(path, action), action, "help"


def _localize(parser: argparse.ArgumentParser, lang: str) -> None:
    """Put the help texts in ``lang`` (the code's own are English)."""
    if lang == "en":
        return
    for key, owner, attribute in help_texts(parser):
        if key in i18n.TABLE:
            setattr(owner, attribute, i18n.t(key, lang))
    for group in parser._action_groups:  # noqa: SLF001
        if group.title == "console (no subcommand)":
            setattr(group, "tabletop_key", "console")  # noqa: B010  (its key survives the new title)
            group.title = argparse._(group.title)  # type: ignore[attr-defined]


def _parser(lang: str | None = None) -> argparse.ArgumentParser:
    lang = lang or _argv_lang()
    _argparse_words(lang)
    parser = _build_parser()
    _localize(parser, lang)
    return parser


def _build_parser() -> argparse.ArgumentParser:
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
                              "help, login, rejections or trainee:COUNTY.ROLE")
    console.add_argument("--size", dest="ui_size", metavar="WxH", type=_window_size,
                         help="with --screenshot: the window size the layout reflows to (default 1280x800; 1920x1080 for a projector)")
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

    rejections = sub.add_parser("rejections", help="list every refused command: seat, turn, rule and reason",
                                description="Read a log and print every command the session refused, in order: the "
                                            "command's seq, turn, seat and kind, the rule that refused it and why, in "
                                            "the chosen language; then a count by rule. The hash chain is checked as "
                                            "it is read.")
    rejections.add_argument("log", metavar="LOG")
    rejections.add_argument("--json", action="store_true", help="print the refusals as JSON")
    rejections.add_argument("--rule", metavar="RULE", help="only the refusals of this rule (e.g. role, R.siting)")

    new = sub.add_parser("new-scenario", help="write a valid scenario skeleton for one county",
                         description="Write DIR/scenario.yaml for one county from scenarios/data/townships.csv: its "
                                     "townships with populations, households and villages, the goods, fictional "
                                     "warehouses, the seats, the 2025 three phases and an empty MSEL, with comments "
                                     "on what to fill in. It validates as written; an existing file is never replaced.")
    new.add_argument("--county", required=True, metavar="NAME", help="the county, e.g. 臺中市 (or 台中市, taichung)")
    new.add_argument("--out", required=True, metavar="DIR", help="folder to write scenario.yaml into")
    new.add_argument("--turns", type=int, default=12, help="turns of 6 hours (default 12, at least 3)")

    for name in SUBCOMMANDS:
        importlib.import_module(name).cli(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parser = _parser(_argv_lang(words))
    args = parser.parse_args(_file_first(parser, words))
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
    if args.command == "rejections":
        return cmd_rejections(args)
    if args.command == "new-scenario":
        return cmd_new_scenario(args)
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
            print(i18n.t("cli.validate_ok", args.lang, path=path, counties=len(scenario.counties),
                         townships=sum(len(c.townships) for c in scenario.counties), injects=len(scenario.injects)))
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
            print(problem.text(args.lang))
        if not loaded.ok:
            worst = BAD_INPUT
            continue
        doc, _ = load_located(loaded.text, path)
        warnings = lint(loaded.scenario)
        label = i18n.t("problem.warning", args.lang)
        for where, message in warnings:
            line, col = doc.where(where) if doc else (1, 1)
            text = i18n.render(message["key"], message.get("params"), args.lang) if isinstance(message, dict) else message
            print(f"{path}:{line}:{col}: {label}: {text}")
        glyphs = _no_glyph_warnings(path, loaded.text, args.lang)
        print(i18n.t("lint.summary", args.lang, path=path, count=len(warnings) + glyphs))
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
        print(i18n.t("file.no_such_file", args.lang, path=args.log), file=sys.stderr)
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


def cmd_new_scenario(args: argparse.Namespace) -> int:
    """A county's scenario skeleton from the township table (FileProblem: exit 2 in main)."""
    from tabletop.scenario import skeleton
    from tabletop.scenario.locate import nearest

    county = skeleton.find_county(args.county)
    if county is None:
        near = nearest(args.county.replace("台", "臺"), skeleton.county_names())
        print(i18n.t("cli.unknown_county", args.lang, county=args.county,
                     near=i18n.t("ui.near", args.lang, near=near) if near else "",
                     known="、".join(skeleton.county_names()) if args.lang == "zh_TW" else ", ".join(skeleton.county_names())),
              file=sys.stderr)
        return BAD_INPUT
    if args.turns < 3:
        print(i18n.t("cli.skeleton_turns", args.lang), file=sys.stderr)
        return BAD_INPUT
    if os.path.lexists(os.path.join(args.out, "scenario.yaml")):
        print(i18n.t("cli.skeleton_exists", args.lang, path=os.path.join(args.out, "scenario.yaml")), file=sys.stderr)
        return BAD_INPUT
    path = skeleton.write(county, args.out, turns=args.turns)
    print(i18n.t("cli.skeleton_written", args.lang, path=path, county=county))
    return OK


def cmd_rejections(args: argparse.Namespace) -> int:
    """Every refused command of a log, with seat, turn, rule and reason in ``--lang``."""
    import json

    from tabletop.logfile import BadLog, TornTail, iter_records
    from tabletop.replay.rejections import Collector, lines

    if not os.path.isfile(args.log):
        print(i18n.t("file.no_such_file", args.lang, path=args.log), file=sys.stderr)
        return BAD_INPUT
    collector = Collector()
    problem = None
    try:
        for record, _ in iter_records(args.log):
            collector.feed(record)
    except TornTail:
        pass  # an interrupted writer: every whole line was read
    except BadLog as err:
        problem = err
    found = [r for r in collector.refusals if args.rule is None or r.rule == args.rule]
    if args.json:
        print(json.dumps([r.to_data(args.lang, collector.names) for r in found], ensure_ascii=False, indent=1))
    else:
        for line in lines(found, args.lang, collector.names):
            print(line)
    if problem is not None:
        print(i18n.t("rejections.bad_log", args.lang, log=args.log, detail=str(problem)), file=sys.stderr)
        return FAILED
    return OK


def _load_or_report(path: str, lang: str | None = None):
    from tabletop.api import load_scenario_file

    loaded = load_scenario_file(path)
    for problem in loaded.problems:
        print(problem.text(lang or _argv_lang()), file=sys.stderr)
    return loaded if loaded.ok else None


def cmd_run(args: argparse.Namespace) -> int:
    from tabletop.runner import ResumeError, run
    from tabletop.scenario.actions import read_actions

    refused = _refuse_existing_log(args)
    if refused is not None:
        return refused
    loaded = _load_or_report(args.scenario, args.lang)
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
        print(i18n.t("cli.turns_at_least_one", args.lang), file=sys.stderr)
        return BAD_INPUT
    if getattr(args, "bots", None):
        from tabletop.batch.cli import run_with_bots

        return run_with_bots(args, loaded, actions)
    if args.resume and os.path.abspath(args.resume) != os.path.abspath(args.log):
        if not os.path.isfile(args.resume):
            print(i18n.t("cli.no_log_to_resume", args.lang, path=args.resume), file=sys.stderr)
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
        print(err.text(args.lang), file=sys.stderr)
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

        return screenshot(scenario, args.screenshot, args.at, args.screen, args.ui_seed, args.lang, args.ui_log,
                          size=args.ui_size)
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
    loaded = _load_or_report(scenario, args.lang)
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
    args = _parser(args.lang).parse_args(argv)
    args.headless = True
    return cmd_run(args)
