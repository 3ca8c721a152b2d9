"""The HTTP contract of the exercise room (docs/server.md): endpoints, status codes, and the
rule that county and role come from the token. A real uvicorn on a loopback port."""

from __future__ import annotations

import json

import httpx
import pytest

from helpers import Client, ThreadServer, new_room, seat_token


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    room = new_room(tmp_path_factory.mktemp("contract"))
    with ThreadServer(room, pin="2468") as srv:
        facilitator = Client(srv.url, seat_token(srv.links(), "facilitator"), pin="2468")
        assert facilitator.command("start")["status"] == "accepted"
        assert facilitator.command("advance")["status"] == "accepted"  # turn 1: injects delivered
        yield srv


def post(srv, token, body, **headers):
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return httpx.post(srv.url + "/api/command", content=data, headers=headers, timeout=30)


def test_links_name_every_seat_and_the_facilitator(server):
    links = server.links()
    names = [s["seat"] for s in links["seats"]]
    assert "hualien.supply" in names and "hualien.commander" in names and "facilitator" not in names
    for seat in links["seats"]:
        assert seat["url"] == f"{server.url}/join/{seat['token']}"
        assert seat["seat"] == (f"{seat['county']}.{seat['role']}" if seat["county"] else seat["role"])
    tokens = [s["token"] for s in links["seats"]] + [links["facilitator"]["token"]]
    assert len(set(tokens)) == len(tokens) and all(len(t) >= 32 for t in tokens)


def test_no_token_401_and_bad_token_401(server):
    assert post(server, None, {"kind": "announce", "args": {}, "client_id": "x"}).status_code == 401
    assert post(server, "nope", {"kind": "announce", "args": {}, "client_id": "x"}).status_code == 401
    for path in ("/api/seat", "/api/events?after=0"):
        response = httpx.get(server.url + path, timeout=30)
        assert response.status_code == 401 and response.json()["error"] == "unauthorized"


def test_body_naming_another_county_or_role_is_403_and_nothing_is_logged(server):
    token = seat_token(server.links(), "hualien.supply")
    before = len(server.room.records)
    for extra in ({"role": "commander"}, {"county": "taitung"}, {"county": None}, {"role": "facilitator"}):
        body = {"kind": "announce", "args": {"audience": "全體", "message": "假冒"}, "client_id": "imp-1"} | extra
        response = post(server, token, body)
        assert response.status_code == 403, extra
        assert response.json()["error"] == "forbidden"
    assert len(server.room.records) == before
    # Naming its own county and role is harmless.
    ok = post(server, token, {"kind": "acknowledge", "args": {"inject": "B02"}, "client_id": "own-1",
                              "county": "hualien", "role": "supply"})
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    record = server.room.records[ok.json()["seq"]]
    assert record["actor"] == "hualien.supply" and record["data"]["county"] == "hualien"


def test_a_seat_may_not_issue_what_its_role_may_not_and_the_log_shows_the_attempt(server):
    client = Client(server.url, seat_token(server.links(), "hualien.supply"))
    answer = client.command("announce", audience="全體縣民", message="米很多。")
    assert answer["status"] == "rejected" and answer["rule"] == "role"
    assert "指揮官" in answer["reason"]["zh_TW"] and "commander" in answer["reason"]["en"]
    assert client.command("advance")["rule"] == "role"  # a facilitator control from a trainee token


def test_facilitator_needs_its_token_and_pin(server):
    token = seat_token(server.links(), "facilitator")
    body = {"kind": "pause", "args": {}, "client_id": "p-1"}
    assert post(server, token, body).status_code == 403
    assert post(server, token, body, **{"X-Facilitator-Pin": "0000"}).status_code == 403
    answer = post(server, token, body, **{"X-Facilitator-Pin": "2468"})
    assert answer.status_code == 200 and answer.json()["status"] == "accepted"
    answer = post(server, token, {"kind": "resume", "args": {}, "client_id": "p-2"}, **{"X-Facilitator-Pin": "2468"})
    assert answer.json()["status"] == "accepted"


@pytest.mark.parametrize("body, status", [
    (b"{not json", 400),
    (b"[1, 2]", 400),
    (b'{"kind": "announce", "args": {}, "client_id": "n", "turn": NaN}', 400),
    ({"kind": "announce", "args": [], "client_id": "a"}, 400),
    ({"kind": 5, "args": {}, "client_id": "a"}, 400),
    ({"kind": "announce", "args": {}}, 400),
    ({"kind": "announce", "args": {}, "client_id": ""}, 400),
    ({"kind": "announce", "args": {}, "client_id": "x" * 200}, 400),
    ({"kind": "announce", "args": {}, "client_id": "a", "extra": 1}, 400),
    ({"kind": "announce", "args": {}, "client_id": "a", "turn": "1"}, 400),
    ({"kind": "announce", "args": {"n": 10 ** 40}, "client_id": "big"}, 400),
    (b"\xff\xfe", 400),
    (b"[" * 5000 + b"]" * 5000, 400),
])
def test_malformed_bodies_get_clean_4xx(server, body, status):
    response = post(server, seat_token(server.links(), "hualien.commander"), body)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert "Traceback" not in response.text and "error" in response.json()


def test_request_size_limit(server):
    token = seat_token(server.links(), "hualien.commander")
    big = {"kind": "announce", "args": {"audience": "x", "message": "字" * 40000}, "client_id": "big-1"}
    response = post(server, token, big)
    assert response.status_code == 413 and response.json()["error"] == "too_large"


def test_unknown_paths_and_methods_are_json_not_tracebacks(server):
    assert httpx.get(server.url + "/nope", timeout=30).status_code == 404
    response = httpx.get(server.url + "/api/command", timeout=30)
    assert response.status_code == 405 and "Traceback" not in response.text
    response = httpx.get(server.url + "/api/events?after=-1",
                         headers={"Authorization": f"Bearer {seat_token(server.links(), 'hualien.supply')}"})
    assert response.status_code == 400


def test_pages_and_assets_come_from_the_package(server):
    token = seat_token(server.links(), "hualien.supply")
    page = httpx.get(f"{server.url}/join/{token}", timeout=30)
    assert page.status_code == 200 and "/static/room.js" in page.text
    assert "http://" not in page.text and "https://" not in page.text  # nothing from elsewhere
    assert page.headers["referrer-policy"] == "no-referrer"
    assert httpx.get(f"{server.url}/join/not-a-token", timeout=30).status_code == 404
    for asset in ("/static/room.js", "/static/room.css", "/api/strings"):
        response = httpx.get(server.url + asset, timeout=30)
        assert response.status_code == 200, asset
        assert "https://" not in response.text and "http://" not in response.text and "url(//" not in response.text
    font = httpx.get(server.url + "/font/noto-sans-cjk-tc.otf", timeout=30)
    assert font.status_code == 200 and font.content[:4] == b"OTTO"


def test_join_sheet_is_the_facilitators_with_a_qr_code_per_seat(server):
    links = server.links()
    sheet = httpx.get(f"{server.url}/sheet/{links['facilitator']['token']}", timeout=30)
    assert sheet.status_code == 200 and sheet.text.count("<svg") == len(links["seats"])
    assert httpx.get(f"{server.url}/sheet/{links['seats'][0]['token']}", timeout=30).status_code == 404


def test_seat_payload_shape(server):
    seat = Client(server.url, seat_token(server.links(), "hualien.supply")).seat()
    assert seat["seat"]["name"] == "hualien.supply" and seat["seat"]["county"] == "hualien"
    assert set(seat) == {"seat", "status", "clock", "panels", "inbox", "forms", "commands", "reports", "feedback"}
    assert seat["feedback"]["open"] is False and seat["feedback"]["capabilities"]
    assert seat["clock"]["state"] == "idle" and seat["reports"]["versions"] == []
    assert seat["status"]["turn"] == 1 and seat["status"]["state"].startswith("running_")
    assert [p["name"] for p in seat["panels"]] == ["distribution.supply", "distribution.stations"]
    kinds = {f["kind"] for f in seat["forms"]}
    assert "acknowledge" in kinds and "announce" not in kinds and "advance" not in kinds
    dispatch = next(f for f in seat["forms"] if f["kind"] == "dispatch")
    fields = {f["name"]: f for f in dispatch["fields"]}
    assert fields["from_"]["key"] == "from" and fields["from_"]["widget"] == "choice" and fields["from_"]["choices"]
    assert fields["id"]["initial"].startswith("cv-hualien-")
    assert fields["goods"]["widget"] == "json"
    assert all(item["type"] in ("inject", "message") for item in seat["inbox"])


def test_tokens_never_enter_the_log(server):
    with open(server.room.log_path, encoding="utf-8") as handle:
        text = handle.read()
    links = server.links()
    for token in [s["token"] for s in links["seats"]] + [links["facilitator"]["token"]]:
        assert token not in text
    assert "client_id" not in text


def test_rate_limit_per_seat(tmp_path):
    from tabletop.server.app import Limits

    room = new_room(tmp_path)
    with ThreadServer(room, limits=Limits(commands_per_second=0.5, command_burst=3, reads_per_second=0.5,
                                          read_burst=3)) as srv:
        token = seat_token(srv.links(), "hualien.supply")
        codes = [post(srv, token, {"kind": "acknowledge", "args": {"inject": "B02"}, "client_id": f"r{i}"}).status_code
                 for i in range(6)]
        assert codes[:3] == [200, 200, 200] and 429 in codes[3:]
        other = post(srv, seat_token(srv.links(), "hualien.commander"),
                     {"kind": "acknowledge", "args": {"inject": "B01"}, "client_id": "o1"})
        assert other.status_code == 200  # another seat has its own budget
        reads = [httpx.get(srv.url + "/api/seat", headers={"Authorization": f"Bearer {token}"}).status_code
                 for _ in range(6)]
        assert 429 in reads
        limited = next(r for r in (httpx.get(srv.url + "/api/seat", headers={"Authorization": f"Bearer {token}"})
                                   for _ in range(2)) if r.status_code == 429)
        assert "retry-after" in limited.headers
