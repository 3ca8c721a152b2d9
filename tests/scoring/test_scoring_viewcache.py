"""The view cache beside a long log (issue 17, scoring/viewcache.py): the next reader loads the
view instead of parsing the log, and a cache that is missing, stale, tampered with or
contradicted by the log's own chain check never changes a result."""

from __future__ import annotations

import json
import os

import orjson
import pytest

from conftest import unpack_golden
from tabletop.core import canonical
from tabletop.scoring import engine, logview, viewcache

from tabletop.scoring.slim import Served
from test_scoring_scale import _lines


def _view_bytes(view: logview.LogView) -> bytes:
    """Everything the view holds (a ``Served`` as its keys and figures), comparable."""
    def served(value):
        if isinstance(value, Served):
            return {"keys": value.keys, "figures": value.figures.tolist()}
        raise TypeError(type(value).__name__)

    return orjson.dumps({"kinds": view.by_kind, "commands": view.commands, "rejected": view.rejected,
                         "records": view.records, "integrity": view.integrity, "torn": view.torn,
                         "last_turn": view.last_turn, "last_state": view.last_state, "walls": view.turn_walls,
                         "accepted": {f"{c}|{k}": rows for (c, k), rows in view.accepted.items()},
                         "last_command": view._last_command, "header": view.header},
                        default=served, option=orjson.OPT_NON_STR_KEYS)


@pytest.fixture
def cached(tmp_path, monkeypatch):
    """Every log is long enough to be read in parallel and cached; the user's key in tmp_path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setattr(logview, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(viewcache, "MIN_BYTES", 0)
    if not logview._parallel(str(tmp_path)):
        pytest.skip("no second CPU: the parallel read (and its cache) is not used here")
    return tmp_path


def _serial(path: str, monkeypatch, **options) -> logview.LogView:
    """The view the one serial pass gives (no child, no cache)."""
    monkeypatch.setattr(logview, "PARALLEL_BYTES", 1 << 62)
    try:
        return logview.load(path, progress=False, allow_broken=True, **options)
    finally:
        monkeypatch.setattr(logview, "PARALLEL_BYTES", 0)


def _score(view: logview.LogView) -> str:
    return canonical.dumps(engine.score(view))


def _kept_whole(lines: list[bytes]) -> int:
    """The last event whose data the view keeps whole (an edit there shows)."""
    for index in range(len(lines) - 1, 0, -1):
        record = json.loads(lines[index])
        if record["type"] == "event" and isinstance(record["data"], dict) \
                and record["kind"] not in ("message_sent", "report_received", "distribution_served"):
            return index
    raise AssertionError("no such record")


def _forged(view: logview.LogView) -> bool:
    return any(isinstance(r.get("data"), dict) and r["data"].get("forged") for rows in view.by_kind.values()
               for r in rows)


def _rewrite(path: str, lines: list[bytes]) -> None:
    with open(path, "wb") as out:
        out.write(b"\n".join(lines) + b"\n")


def _rehash(lines: list[bytes], start: int) -> list[bytes]:
    """The chain recomputed from line ``start`` on (a forger's re-hashed log)."""
    out = list(lines)
    prev = json.loads(out[start - 1])["hash"]
    for index in range(start, len(out)):
        record = json.loads(out[index])
        record.pop("hash")
        record["prev"] = prev
        record["hash"], line = canonical.encode_record(prev, record)
        out[index] = line
        prev = record["hash"]
    return out


@pytest.fixture
def national(cached):
    return unpack_golden(cached, "national-seed1")


def test_the_second_read_loads_the_cached_view(national, monkeypatch):
    first = logview.load(national, progress=False)
    assert os.path.exists(viewcache.path_of(national))
    assert viewcache.read(national, logview._stamp(national), logview._start, logview._freeze_while_alive) is not None
    warmed = []
    second = logview.load(national, progress=False, meanwhile=warmed.append)
    assert warmed == [second]  # a cached view: worked on while the chain is checked
    serial = _serial(national, monkeypatch)
    assert first.integrity == second.integrity == serial.integrity
    assert second.integrity["status"] == "chain_ok" and second.integrity["seal"]
    assert _view_bytes(second) == _view_bytes(serial) == _view_bytes(first)
    assert _score(second) == _score(serial)


def test_warm_then_score_gives_the_score(national, monkeypatch):
    logview.load(national, progress=False)
    view = logview.load(national, progress=False, meanwhile=engine.warm)
    assert canonical.dumps(engine.score(view)) == _score(_serial(national, monkeypatch))
    assert _score(view) == _score(_serial(national, monkeypatch))  # again, from the cached facts


def test_the_score_is_kept_beside_the_log_for_the_next_reader(national, monkeypatch):
    """``score`` then ``report``: the second reader of the same log takes the score document the
    first worked out (the same records, seal and code), and it is the document worked out afresh."""
    first = logview.load(national, progress=False, meanwhile=engine.warm)
    expected = canonical.dumps(engine.score(first))
    assert os.path.exists(viewcache.results_path_of(national))
    assert expected == _score(_serial(national, monkeypatch))
    computed = []
    monkeypatch.setattr(engine, "rate_scope", lambda *args: computed.append(args) or {})
    second = logview.load(national, progress=False, meanwhile=engine.warm)
    assert second.results and canonical.dumps(engine.score(second)) == expected
    assert not computed  # taken, not worked out again


@pytest.mark.parametrize("damage", ["flipped", "forged", "other_code", "other_records"])
def test_kept_results_that_do_not_hold_are_a_miss(national, monkeypatch, damage):
    import hashlib

    first = logview.load(national, progress=False, meanwhile=engine.warm)
    seal, count = first.integrity["seal"], first.records
    expected = _score(_serial(national, monkeypatch))
    path = viewcache.results_path_of(national)
    data = bytearray(open(path, "rb").read())
    stamp = logview._stamp(national)
    if damage == "flipped":
        data[len(data) // 2] ^= 0x01
        open(path, "wb").write(bytes(data))
    elif damage == "forged":  # a changed document, its digest recomputed without the user's key
        body = bytes(data[:-32]).replace(b'"rating":"', b'"rating":"X', 1)
        open(path, "wb").write(body + hashlib.blake2b(body, key=b"k" * 32, digest_size=32).digest())
    elif damage == "other_code":
        monkeypatch.setattr(viewcache, "_code_digest", lambda: "another version of the code")
    records = 1 if damage == "other_records" else count
    assert viewcache.read_results(national, stamp, records, seal) == {}
    view = logview.load(national, progress=False, meanwhile=engine.warm)
    assert canonical.dumps(engine.score(view)) == expected


def test_no_cache_for_a_broken_log(national, monkeypatch):
    lines = _lines(national)
    record = json.loads(lines[len(lines) // 2])
    record["data"] = dict(record["data"], forged=True)
    lines[len(lines) // 2] = canonical.encode(record)
    _rewrite(national, lines)
    view = logview.load(national, progress=False, allow_broken=True)
    assert view.integrity["status"] == "broken"
    assert not os.path.exists(viewcache.path_of(national))
    assert not [name for name in os.listdir(os.path.dirname(national)) if name.endswith(".tmp")]


def _relocated(line: bytes) -> bytes:
    """The line with its hash moved from its place into ``data`` (before data's second key): the
    same bytes hashed, the same length, but no top-level hash (what the hash alone cannot see)."""
    cut = line.rfind(b',"hash":"')
    field = line[cut:cut + 9 + 64 + 1]
    assert line[cut + 9 + 64:cut + 9 + 64 + 2] == b'",'
    content = line[:cut + 1] + line[cut + 9 + 64 + 2:]  # what the hash covers
    comma = content.index(b",", content.index(b'"data":{'))
    moved = content[:comma] + field + b"," + content[comma + 1:]
    assert len(moved) == len(line) and moved != line
    return moved


@pytest.mark.parametrize("edit", ["tampered", "rehashed", "appended", "relocated"])
@pytest.mark.parametrize("same_stamp", [False, True])
def test_an_edited_log_is_read_as_it_is_now(national, monkeypatch, edit, same_stamp):
    """Edited after its view (and its score) was cached: the result is the edited log's, or the log
    is broken, exactly as with no cache; ``same_stamp``: the edit kept inode, size and times (the
    cache's key then matches, and only the chain check of the log itself can tell)."""
    logview.load(national, progress=False, meanwhile=engine.warm)
    assert os.path.exists(viewcache.path_of(national)) and os.path.exists(viewcache.results_path_of(national))
    if same_stamp:
        stamp = logview._stamp(national)
        monkeypatch.setattr(logview, "_stamp", lambda path: stamp)
    lines = _lines(national)
    middle = _kept_whole(lines)
    if edit == "appended":
        lines = lines[:-1]  # the cache was of the longer log: now it is shorter
    elif edit == "relocated":
        lines[middle] = _relocated(lines[middle])
    else:
        record = json.loads(lines[middle])
        record["data"] = dict(record["data"], forged=True)
        lines[middle] = canonical.encode(record)
        if edit == "rehashed":
            lines = _rehash(lines, middle)
    _rewrite(national, lines)
    # The scores worked out on a cached view the chain check then refutes are dropped with it.
    view = logview.load(national, progress=False, allow_broken=True, meanwhile=engine.warm)
    serial = _serial(national, monkeypatch)
    assert view.integrity == serial.integrity
    assert view.integrity["status"] == ("broken" if edit in ("tampered", "relocated") else "chain_ok")
    assert _view_bytes(view) == _view_bytes(serial)
    assert _score(view) == _score(serial)
    assert _forged(view) == (edit == "rehashed")  # the edit shows


@pytest.mark.parametrize("damage", ["flipped", "truncated", "other_key", "other_code"])
def test_a_damaged_or_foreign_cache_is_a_miss(national, monkeypatch, damage):
    first = logview.load(national, progress=False)
    path = viewcache.path_of(national)
    data = bytearray(open(path, "rb").read())
    if damage == "flipped":
        data[len(data) // 2] ^= 0x01
        open(path, "wb").write(bytes(data))
    elif damage == "truncated":
        open(path, "wb").write(bytes(data[:len(data) // 2]))
    elif damage == "other_key":  # written by another user, or before the key was replaced
        os.remove(os.path.join(os.environ["XDG_CACHE_HOME"], "tabletop", "scoring-view.key"))
    else:
        monkeypatch.setattr(viewcache, "_code_digest", lambda: "another version of the code")
    assert viewcache.read(national, logview._stamp(national), logview._start, logview._freeze_while_alive) is None
    view = logview.load(national, progress=False)
    assert _view_bytes(view) == _view_bytes(first)
    assert viewcache.read(national, logview._stamp(national), logview._start, logview._freeze_while_alive) is not None  # read again, cached again


def test_a_forged_cache_with_the_right_key_fields_is_refused(national, monkeypatch):
    """A cache whose header names the log as it is (stamp, count, seal) but whose contents were
    changed and its digest recomputed without the user's key: refused."""
    logview.load(national, progress=False)
    path = viewcache.path_of(national)
    data = open(path, "rb").read()
    body = data[:-32].replace(b"open_station", b"open_statioN", 1)
    import hashlib

    open(path, "wb").write(body + hashlib.blake2b(body, key=b"k" * 32, digest_size=32).digest())
    assert viewcache.read(national, logview._stamp(national), logview._start, logview._freeze_while_alive) is None


def test_the_cache_is_not_written_beside_a_log_in_a_read_only_folder(national, monkeypatch):
    monkeypatch.setattr(viewcache.files, "temp_path", lambda path: "/nonexistent-folder/x.tmp")
    view = logview.load(national, progress=False)
    assert view.integrity["status"] == "chain_ok"
    assert not os.path.exists(viewcache.path_of(national))


def test_report_verify_uses_the_cache(cached, monkeypatch):
    """``report``'s path (re-simulation in a child): the cached view is kept only once the
    re-simulation confirmed the same records and seal."""
    log = unpack_golden(cached, "hualien-seed1")
    first = logview.load(log, progress=False, verify=True, meanwhile=engine.warm)
    assert first.integrity["status"] == "verified"
    assert os.path.exists(viewcache.path_of(log))
    second = logview.load(log, progress=False, verify=True, meanwhile=engine.warm)
    assert second.integrity == first.integrity
    assert _view_bytes(second) == _view_bytes(first)
    assert canonical.dumps(engine.score(second)) == canonical.dumps(engine.score(first))
    stamp = logview._stamp(log)
    monkeypatch.setattr(logview, "_stamp", lambda path: stamp)
    lines = _lines(log)
    middle = _kept_whole(lines)
    record = json.loads(lines[middle])
    record["data"] = dict(record["data"], forged=True)
    lines[middle] = canonical.encode(record)
    _rewrite(log, _rehash(lines, middle))
    third = logview.load(log, progress=False, verify=True, allow_broken=True, meanwhile=engine.warm)
    assert third.integrity["status"] == "broken" and third.integrity["bad_seq"] == middle
    assert third.integrity == _serial(log, monkeypatch, verify=True).integrity


@pytest.mark.parametrize("seal_only", [False, True])
def test_the_chain_checked_in_two_halves_is_the_chain_checked_whole(national, seal_only):
    from tabletop.logfile import split_point
    from tabletop.scoring.children import Child, SplitChain

    middle = split_point(national)
    assert middle is not None and 0 < middle < os.path.getsize(national)
    whole = Child("chain", national).result()
    assert whole is not None and SplitChain(national, seal_only=seal_only).result() == whole


@pytest.mark.parametrize("seal_only", [False, True])
@pytest.mark.parametrize("damage", ["first_half", "second_half", "boundary_removed", "boundary_rehashed",
                                    "boundary_inserted", "torn", "relocated"])
def test_a_break_anywhere_fails_the_split_chain(national, damage, seal_only):
    from tabletop.logfile import split_point
    from tabletop.scoring.children import Child, SplitChain

    lines = _lines(national)
    middle = split_point(national)
    at = open(national, "rb").read()[:middle].count(b"\n")  # the first line of the second half
    if damage in ("first_half", "second_half"):
        index = at // 2 if damage == "first_half" else (at + len(lines)) // 2
        record = json.loads(lines[index])
        record["turn"] = record["turn"] + 1
        lines[index] = canonical.encode(record)
    elif damage == "boundary_removed":
        lines = lines[:at] + _rehash(lines[:at] + lines[at + 1:], at)[at:]
    elif damage == "boundary_rehashed":  # the second half's first record re-hashed alone
        lines = _rehash(lines, at)[:at + 1] + lines[at + 1:]
        record = json.loads(lines[at])
        record["data"] = dict(record["data"], forged=True) if isinstance(record["data"], dict) else {"forged": True}
        record.pop("hash")
        record["hash"], lines[at] = canonical.encode_record(record["prev"], record)
    elif damage == "boundary_inserted":
        lines = lines[:at] + [lines[at - 1]] + lines[at:]
    elif damage == "relocated":  # the hash moved into data: the same bytes hashed, no top-level hash
        index = _kept_whole(lines)
        lines[index] = _relocated(lines[index])
    _rewrite(national, lines)
    if damage == "torn":
        with open(national, "ab") as out:
            out.write(lines[1][:30])
    assert Child("chain", national).result() is None
    assert SplitChain(national, seal_only=seal_only).result() is None


def test_a_cache_that_fails_to_load_gets_the_whole_check(national, monkeypatch):
    """A cache whose key fields match but whose contents do not load leaves the log to be parsed
    here: its chain is then checked whole (fields, nesting), not only hashed. A line re-hashed
    with a field no record has is found, as by the serial pass."""
    logview.load(national, progress=False)
    stamp = logview._stamp(national)
    monkeypatch.setattr(logview, "_stamp", lambda path: stamp)
    path = viewcache.path_of(national)
    data = bytearray(open(path, "rb").read())
    data[len(data) // 2] ^= 0x01
    open(path, "wb").write(bytes(data))
    lines = _lines(national)
    middle = _kept_whole(lines)
    record = json.loads(lines[middle])
    record["extra"] = True
    lines[middle] = canonical.encode(record)
    _rewrite(national, _rehash(lines, middle))
    assert viewcache.matches(national, stamp)  # a hit by its key fields: the hashing children start
    view = logview.load(national, progress=False, allow_broken=True)
    assert view.integrity["status"] == "broken" and view.integrity["bad_seq"] == middle
    assert view.integrity == _serial(national, monkeypatch).integrity



def test_a_private_log_gets_a_private_cache(national):
    """The cache holds the log's contents: readable by exactly whom the log is."""
    import stat as _stat

    os.chmod(national, 0o600)
    logview.load(national, progress=False)
    assert _stat.S_IMODE(os.stat(viewcache.path_of(national)).st_mode) == 0o600
    os.chmod(national, 0o644)
    os.remove(viewcache.path_of(national))
    logview.load(national, progress=False)
    assert _stat.S_IMODE(os.stat(viewcache.path_of(national)).st_mode) == 0o644


def test_the_code_digest_covers_the_reader_and_the_libraries(monkeypatch):
    """A cache is of one version of the reader's checks too (logfile.py, core/canonical.py): a
    view a looser check let through is not taken by a stricter one."""
    viewcache._code_digest.cache_clear()
    monkeypatch.setattr(viewcache, "_code_digest", viewcache._code_digest.__wrapped__)
    now = viewcache._code_digest()
    read = viewcache.files.read_bytes
    for name in ("logfile.py", "canonical.py", "distribution_facts.py"):
        monkeypatch.setattr(viewcache.files, "read_bytes",
                            lambda path, name=name: read(path) + (b"#" if path.endswith(os.sep + name) else b""))
        assert viewcache._code_digest() != now, name
    monkeypatch.setattr(viewcache.files, "read_bytes", read)
    monkeypatch.setattr(viewcache, "_LIBRARIES", viewcache._LIBRARIES + ("hypothesis",))
    assert viewcache._code_digest() != now


def test_an_unreadable_package_file_means_no_cache_not_a_failure(national, monkeypatch):
    read = viewcache.files.read_bytes

    def refusing(path):
        if path.endswith(os.path.join("scoring", "engine.py")):
            raise PermissionError(13, "Permission denied", path)
        return read(path)

    viewcache._code_digest.cache_clear()
    monkeypatch.setattr(viewcache.files, "read_bytes", refusing)
    try:
        view = logview.load(national, progress=False, meanwhile=engine.warm)
    finally:
        viewcache._code_digest.cache_clear()
    assert view.integrity["status"] == "chain_ok"
    assert _score(view) == _score(_serial(national, monkeypatch))
    assert not os.path.exists(viewcache.results_path_of(national))


def test_kept_values_read_back_as_worked_out(national):
    """A NaN or an infinity is kept as itself (orjson would write null), and every read is a copy."""
    import math

    view = logview.load(national, progress=False)
    value = view.kept("odd", lambda: {"nan": float("nan"), "inf": [(1, float("inf"))]})
    assert math.isnan(value["nan"]) and value["inf"] == [[1, float("inf")]]
    value["inf"].append("changed")
    assert view.kept("odd", lambda: None)["inf"] == [[1, float("inf")]]
    stamp = logview._stamp(national)
    seal = view.integrity["seal"]
    viewcache.write_results(national, stamp, view.records, seal, {"odd": view.results["odd"]})
    back = viewcache.read_results(national, stamp, view.records, seal)
    assert math.isnan(back["odd"]["nan"]) and back["odd"]["inf"] == [[1, float("inf")]]
