"""The replay viewer headless: controls, jumps, filters, notes, screenshots and what-if forks."""

import json
import os

import pygame
import pytest
from replay_helpers import ACTIONS, SCENARIO, lines_of, play_live, write_lines

from tabletop.core import canonical
from tabletop.replay import verify
from tabletop.replay import marks as mk
from tabletop.replay.notes import Notes, notes_path
from tabletop.replay.timeline import Replay
from tabletop.ui.replay.viewer import SPEEDS, Viewer, screenshot
from tabletop.scenario.actions import load_actions
from tabletop.api import load_scenario_file
from tabletop.ui import gfx


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    loaded = load_scenario_file(SCENARIO)
    actions, _ = load_actions(ACTIONS)
    folder = tmp_path_factory.mktemp("viewer")
    return play_live(loaded, actions, 7, str(folder / "log.jsonl"))


@pytest.fixture
def shots(tmp_path):
    """Where screenshots go: $TABLETOP_SCREENSHOTS if set (to look at them), else a temp folder."""
    folder = os.environ.get("TABLETOP_SCREENSHOTS") or str(tmp_path / "shots")
    os.makedirs(folder, exist_ok=True)
    return folder


@pytest.fixture
def viewer(live):
    replay = Replay(live.log, progress=False)
    view = Viewer(replay, 0, "zh_TW", surface=pygame.Surface(gfx.SIZE))
    yield view
    replay.close()
    if os.path.exists(notes_path(live.log)):
        os.remove(notes_path(live.log))


def test_step_play_turns_and_slider(viewer):
    viewer.act("step+")
    viewer.act("step+")
    assert viewer.seq == 2
    viewer.act("step-")
    assert viewer.seq == 1
    viewer.act("turn+")
    assert viewer.session.turn == 1 or viewer.session.state.startswith("running")
    viewer.act("home")
    viewer.act("play")
    assert viewer.playing
    viewer.tick(1.0)
    assert viewer.seq == SPEEDS[viewer.speed]
    viewer.act("faster")
    viewer.tick(1.0)
    assert viewer.seq == SPEEDS[viewer.speed - 1] + SPEEDS[viewer.speed]
    viewer.act("play")
    assert not viewer.playing
    viewer.draw()
    from tabletop.ui.replay import panels

    middle = pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=(panels.SLIDER.centerx, panels.SLIDER.centery))
    viewer.handle(middle)
    assert abs(viewer.seq - viewer.replay.count // 2) <= 2
    viewer.handle(pygame.event.Event(pygame.MOUSEBUTTONUP, button=1, pos=(0, 0)))
    viewer.act("end")
    assert viewer.seq == viewer.replay.count - 1 and viewer.session.state == "closed"


def test_keys_map_to_actions():
    from tabletop.ui.replay.viewer import key_action

    def key(k, mod=0):
        return key_action(pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod))

    assert key(pygame.K_SPACE) == "play" and key(pygame.K_RIGHT) == "step+" and key(pygame.K_LEFT) == "step-"
    assert key(pygame.K_i) == "next:inject" and key(pygame.K_r, pygame.KMOD_SHIFT) == "prev:rejection"
    assert key(pygame.K_a) == "next:alert" and key(pygame.K_g) == "next:rating" and key(pygame.K_b) == "next:note"
    assert key(pygame.K_RIGHT, pygame.KMOD_SHIFT) == "turn+" and key(pygame.K_v) == "view" and key(pygame.K_f) == "fork"


def test_jumps_land_on_the_right_kind_of_record(viewer):
    alerts = mk.alert_injects(viewer.replay.scenario)
    for mark, test in (("inject", lambda r: r["kind"] in mk.INJECT_KINDS),
                       ("rejection", lambda r: r["kind"] == "command_rejected"),
                       ("alert", lambda r: mk.is_alert(r, alerts))):
        viewer.act("home")
        seen = []
        while viewer.jump(mark):
            seen.append(viewer.seq)
            assert test(viewer.replay.record(viewer.seq)), (mark, viewer.seq)
        assert seen, mark
        assert seen == sorted(seen) and viewer.message  # "no further ..." at the end
        viewer.act(f"prev:{mark}")
        assert viewer.seq == seen[-2] if len(seen) > 1 else True
    viewer.act("home")
    changes = viewer.scores.rating_marks()
    for seq in changes:
        assert viewer.jump("rating") and viewer.seq == seq
    assert viewer.replay.index.meta.get("ratings_done") == "1"


def test_filters_view_and_score(viewer):
    viewer.goto(viewer.replay.count - 1)
    viewer.filters["kind"] = "command_rejected"
    seqs = viewer.event_seqs(50)
    assert seqs and all(viewer.replay.record(s)["kind"] == "command_rejected" for s in seqs)
    viewer.act("clear_filters")
    viewer.act("filter:role")
    role = viewer.filters["role"]
    assert role and all(viewer.replay.index.row(s)[6] == role for s in viewer.event_seqs(30))
    viewer.act("view")
    assert viewer.view == "eoc:hualien"
    viewer.act("view")
    assert viewer.view == "truth"
    score = viewer.score()
    assert score is not None and 0 <= score["score"] <= 100 and score["rating"] in "PSMU"
    assert viewer.replay.index.score(viewer.seq) == score  # cached in the index


def test_bookmarks_and_annotations_go_to_the_sidecar(viewer, live):
    before = open(live.log, "rb").read()
    viewer.goto(120)
    viewer.act("bookmark")
    viewer.goto(300)
    viewer.act("note:物資調度延誤")
    notes = Notes(live.log, viewer.replay.header["hash"])
    assert [(n.seq, n.kind, n.text) for n in notes.items] == [(120, "bookmark", ""), (300, "annotation", "物資調度延誤")]
    assert open(live.log, "rb").read() == before
    viewer.act("home")
    viewer.act("next:note")
    assert viewer.seq == 120
    viewer.act("next:note")
    assert viewer.seq == 300
    other = Notes(live.log, "f" * 64)
    assert other.problem and not other.items  # notes of another log are never shown


def test_screenshots_headless(live, tmp_path, shots):
    with Replay(live.log, progress=False) as replay:
        Notes(live.log, replay.header["hash"]).add(replay.resolve("turn:6"), "第 6 回合末：配售站缺貨", "評估員甲")
        for name, at, lang, view, filters in (("replay-truth.png", "turn:6", "zh_TW", "truth", {}),
                                              ("replay-eoc.png", "turn:9", "zh_TW", "eoc:hualien", {"kind": "message_sent"}),
                                              ("replay-en.png", "turn:11", "en", "truth", {"role": "supply"})):
            path = os.path.join(shots, name)
            screenshot(replay, replay.resolve(at), path, lang, view, filters)
            image = pygame.image.load(path)
            assert image.get_size() == gfx.SIZE
            assert tuple(image.get_at((4, 70)))[:3] != (120, 24, 24)  # no red banner on an intact log
    os.remove(notes_path(live.log))
    bad = str(tmp_path / "tampered.jsonl")
    lines = lines_of(live.log)
    record = json.loads(lines[700])
    record["turn"] += 1
    lines[700] = (canonical.dumps(record) + "\n").encode()
    write_lines(bad, lines)
    with Replay(bad, progress=False) as replay:
        path = os.path.join(shots, "replay-tampered.png")
        viewer = Viewer(replay, replay.count - 1, "zh_TW", surface=pygame.Surface(gfx.SIZE))
        viewer.help = False
        viewer.screenshot(path)
        image = pygame.image.load(path)
        assert tuple(image.get_at((4, 70)))[:3] == (120, 24, 24)  # the red integrity banner
        viewer.help = True
        viewer.screenshot(os.path.join(shots, "replay-help.png"))


def test_fork_a_what_if_and_play_on(live, tmp_path):
    from tabletop.ui.console import Console

    with Replay(live.log, progress=False) as replay:
        seq = replay.resolve("turn:4")
        viewer = Viewer(replay, seq, "zh_TW", surface=pygame.Surface(gfx.SIZE))
        path = viewer.fork()
        assert path and os.path.exists(path) and path.endswith(f"-fork{seq}.jsonl")
        expected = replay.session_at(seq).snapshot()
    assert verify(path).ok
    header = json.loads(lines_of(path)[0])
    parent = header["data"]["parent"]
    assert parent["log"] == os.path.basename(live.log) and parent["seq"] == seq
    assert parent["hash"] == json.loads(lines_of(live.log)[seq])["hash"]
    console = Console.resume(path)  # the facilitator plays on in the console
    mine = console.session.snapshot()
    assert {k: v for k, v in mine.items() if k != "last_hash"} == {k: v for k, v in expected.items() if k != "last_hash"}
    outcome = console.control("advance")
    assert outcome.rejected is None and console.session.turn == 5
    console.close()
    assert verify(path).ok
