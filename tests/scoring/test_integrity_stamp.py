"""score, report and compare check the log before they score it (docs/scoring.md, "Integrity").

Today's complaint: a tampered log scored 81.8 P and a log with a line deleted reported with
exit 0. Now a broken chain, a torn file or a removed record exits 1 naming the seq and writes
nothing, unless ``--allow-tampered``, which counts only the intact records and stamps every
page and the JSON; a clean log's report says "verified" with its seal on the first page.
"""

from __future__ import annotations

import json
import re

import pytest
from sc_logkit import Log, cli

from tabletop.core import canonical
from tabletop.scoring import engine, logview, report


def _lines(path):
    return open(path, "rb").read().split(b"\n")[:-1]


def _write(path, lines, tail=b"\n"):
    with open(path, "wb") as out:
        out.write(b"\n".join(lines) + tail)
    return str(path)


def _tampered(source, target, seq=100):
    """Record ``seq`` edited in place, its hash left as it was (what a hand edit does)."""
    lines = _lines(source)
    record = json.loads(lines[seq])
    record["data"] = dict(record["data"], forged=True)
    lines[seq] = canonical.encode(record)
    return _write(target, lines)


def _rehashed(records):
    """A forger who recomputes the whole chain after editing."""
    prev, out = canonical.GENESIS, []
    for record in records:
        body = {k: v for k, v in record.items() if k != "hash"}
        body["prev"] = prev
        prev, line = canonical.encode_record(prev, body)
        out.append(line)
    return out


def _sections_are_stamped(page: str, markdown: str, banner: str) -> None:
    """Both renderings start with the tampered banner and the broken stamp; every later section
    starts with the banner (the first follows the stamp)."""
    html_banner = f'<div class="banner" role="alert">{banner}</div>'
    sections = [m.start() for m in re.finditer(r"<h2", page)]
    assert len(sections) >= 10
    assert re.search(r"<body>\s*" + re.escape(html_banner), page)
    assert 'class="stamp stamp-broken"' in page[:sections[0]]
    assert page.count(html_banner) == len(sections)
    for start in sections[1:]:
        assert page[:start].rstrip().endswith(html_banner), page[start:start + 80]
    lines = markdown.split("\n")
    assert lines[0] == f"> **{banner}**"
    heads = [i for i, line in enumerate(lines) if line.startswith("## ")]
    assert len(heads) >= 10
    assert "> **Log integrity: tampered or damaged (chain broken at seq 100)**" in lines[:heads[0]]
    for index in heads[1:]:
        assert lines[index - 2] == f"> **{banner}**", lines[index]


# ----- the command line -----------------------------------------------------------------------
def test_tampered_log_is_refused_naming_the_seq_and_nothing_is_written(played, tmp_path):
    log = _tampered(played(), tmp_path / "tampered.jsonl")
    done = cli("score", log)
    assert done.returncode == 1 and done.stdout == ""
    assert "seq 100" in done.stderr and "--allow-tampered" in done.stderr
    done = cli("--lang", "en", "report", log, "--out", str(tmp_path / "aar"))
    assert done.returncode == 1 and "chain broken at seq 100" in done.stderr
    assert not (tmp_path / "aar").exists()


def test_allow_tampered_scores_the_intact_part_and_stamps_every_page_and_the_json(played, tmp_path):
    clean = played()
    log = _tampered(clean, tmp_path / "tampered.jsonl")
    out = tmp_path / "aar"
    done = cli("report", log, "--out", str(out), "--allow-tampered", "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "TAMPERED LOG" in done.stderr
    banner = ("TAMPERED LOG: chain broken at seq 100; only the intact records seq 0-99 are counted "
              "(--allow-tampered). This report is not a record of the exercise.")
    page = (out / "index.html").read_text(encoding="utf-8")
    markdown = (out / "report.md").read_text(encoding="utf-8")
    _sections_are_stamped(page, markdown, banner)
    assert "<title>[TAMPERED] " in page and 'class="stamp stamp-broken"' in page
    saved = json.loads((out / "score.json").read_text(encoding="utf-8"))
    assert saved["integrity"]["status"] == "broken" and saved["integrity"]["bad_seq"] == 100
    assert saved["integrity"]["problem"] == "chain" and saved["integrity"]["seal"] is None
    assert saved["log"]["records"] == 100
    done = cli("score", log, "--json", "--allow-tampered")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["integrity"] == saved["integrity"]
    assert doc["overall"] != engine.score(logview.load(clean))["overall"]


def test_deleted_line_is_refused(played, tmp_path):
    lines = _lines(played())
    del lines[200]
    log = _write(tmp_path / "deleted.jsonl", lines)
    done = cli("report", log, "--out", str(tmp_path / "aar"))
    assert done.returncode == 1 and "seq 200" in done.stderr
    assert not (tmp_path / "aar").exists()
    with pytest.raises(logview.Broken) as caught:
        logview.load(log)
    assert caught.value.seq == 200 and "removed or inserted" in caught.value.integrity["message"]


def test_clean_log_report_says_verified_with_the_seal_on_its_first_page(played, tmp_path):
    log = played()
    seal = json.loads(_lines(log)[-1])["hash"]
    out = tmp_path / "aar"
    done = cli("report", log, "--out", str(out))
    assert done.returncode == 0, done.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    first = page[:page.index("<h2")]  # the first page: title and stamp, before the first section
    assert 'class="stamp stamp-verified"' in first and "已驗證" in first
    assert f'<code class="seal">{seal}</code>' in first
    assert 'class="banner"' not in page
    markdown = (out / "report.md").read_text(encoding="utf-8")
    first_md = markdown[:markdown.index("\n## ")]
    assert "已驗證" in first_md and f"`{seal}`" in first_md
    saved = json.loads((out / "score.json").read_text(encoding="utf-8"))
    assert saved["integrity"] == {"status": "verified", "bad_seq": None, "seal": seal, "problem": None,
                                  "not_resimulated": None, "engine": None, "message": saved["integrity"]["message"]}
    # score checks the chain only, unless --verify; both name the seal.
    done = cli("--lang", "en", "score", log)
    assert done.returncode == 0 and "not re-simulated" in done.stdout and seal in done.stdout
    done = cli("score", log, "--verify", "--json")
    assert done.returncode == 0 and json.loads(done.stdout) == saved


def test_compare_checks_both_logs(played, tmp_path):
    clean = played()
    log = _tampered(clean, tmp_path / "tampered.jsonl")
    done = cli("compare", clean, log, "--json")
    assert done.returncode == 1 and done.stdout == "" and "seq 100" in done.stderr
    out = tmp_path / "cmp"
    done = cli("compare", clean, log, "--json", "--allow-tampered", "--out", str(out), "--lang", "en")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["integrity"]["first"]["status"] == "chain_ok"
    assert doc["integrity"]["second"]["status"] == "broken" and doc["integrity"]["second"]["bad_seq"] == 100
    markdown = (out / "compare.md").read_text(encoding="utf-8")
    assert markdown.startswith("> **Log 2: TAMPERED LOG: chain broken at seq 100")
    assert "<title>[TAMPERED] " in (out / "index.html").read_text(encoding="utf-8")


# ----- the reader -----------------------------------------------------------------------------
def test_torn_file_is_broken_at_the_incomplete_record(played, tmp_path):
    lines = _lines(played())
    log = _write(tmp_path / "torn.jsonl", lines[:300] + [lines[300][:40]], tail=b"")
    with pytest.raises(logview.Broken) as caught:
        logview.load(log)
    assert caught.value.integrity["problem"] == "torn" and caught.value.seq == 300
    view = logview.load(log, allow_broken=True)
    assert view.records == 300 and view.tampered and view.torn
    doc = engine.score(view)
    assert doc["integrity"]["bad_seq"] == 300 and doc["log"]["torn_tail"]


def test_altered_header_is_a_broken_log_not_bad_input(played, tmp_path):
    log = _tampered(played(), tmp_path / "header.jsonl", seq=0)
    with pytest.raises(logview.Broken) as caught:
        logview.load(log)
    assert caught.value.seq == 0
    view = logview.load(log, allow_broken=True)
    assert view.records == 1 and view.integrity["bad_seq"] == 0


def test_rehashed_forgery_passes_the_chain_but_not_the_re_simulation(played, tmp_path):
    records = [json.loads(line) for line in _lines(played())]
    victim = next(r for r in records if r["kind"] == "command_rejected")
    victim["data"]["rule"] = "none"
    log = _write(tmp_path / "forged.jsonl", _rehashed(records))
    assert logview.load(log).integrity["status"] == "chain_ok"  # the chain alone cannot tell
    with pytest.raises(logview.Broken) as caught:
        logview.load(log, verify=True)
    assert caught.value.seq == victim["seq"] and caught.value.integrity["problem"] == "resimulation"
    view = logview.load(log, verify=True, allow_broken=True)
    assert view.records == victim["seq"] and view.integrity["bad_seq"] == victim["seq"]


def test_one_bad_log_class():
    from tabletop import api, logfile

    assert logview.BadLog is logfile.BadLog is api.BadLog
    assert issubclass(logview.Broken, logfile.BadLog)


def test_stamp_texts_come_from_the_translation_table(played, tmp_path):
    view = logview.load(played(), verify=True)
    for lang, word in (("zh_TW", "已驗證"), ("en", "verified")):
        blocks = report.build(view, engine.score(view), lang)
        stamp = blocks[1]
        assert stamp.kind == "stamp" and word in stamp.text and stamp.code == view.integrity["seal"]
    unchecked = Log().view()
    stamp = report.build(unchecked, engine.score(unchecked), "en")[1]
    assert stamp.css == "unchecked" and "not checked" in stamp.text


def test_log_of_another_format_is_chain_ok_and_says_which_engine_re_simulates_it(played, tmp_path):
    records = [json.loads(line) for line in _lines(played())]
    records[0]["data"]["format"] = 1
    log = _write(tmp_path / "format1.jsonl", _rehashed(records))
    view = logview.load(log, verify=True)
    assert view.integrity["status"] == "chain_ok" and view.integrity["not_resimulated"] == "format"
    assert view.integrity["seal"] == json.loads(_lines(log)[-1])["hash"]
    stamp = report.build(view, engine.score(view), "en")[1]
    assert "not re-simulated" in stamp.text and view.integrity["engine"] in stamp.text
    assert stamp.code == view.integrity["seal"]


def test_rehashed_record_of_the_wrong_shape_is_broken_not_a_traceback(played, tmp_path):
    records = [json.loads(line) for line in _lines(played())]
    victim = next(r for r in records if r["type"] == "command")
    victim["data"] = [1]
    log = _write(tmp_path / "shape.jsonl", _rehashed(records))
    with pytest.raises(logview.Broken) as caught:
        logview.load(log)
    assert caught.value.seq == victim["seq"] and caught.value.integrity["problem"] == "record"
