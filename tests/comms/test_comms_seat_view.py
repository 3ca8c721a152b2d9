"""Communications in the trainee seats: the EOC's links and outbox as it knows them, and the
form choices of the communications commands."""

from seat_helpers import check_deterministic, COUNTY, CUT_JIAN, loaded, names_nothing, panel as _panel, part_choice_keys, Played, rows, submit_each, tried_choices, values
from tabletop import plugins
from tabletop.comms.picture import field_nodes
from tabletop.core.commands import Command

def test_links_panel_groups_announced_outages():
    assert _panel(Played(5).session, "comms.links") == [("23 條鏈路皆未通報中斷", "ok")]
    panel = _panel(Played(7).session, "comms.links")
    assert panel == [
        ("1 條鏈路 市話、行動電話 中斷，尚可用 衛星電話：中央", "warn"),
        ("23 條鏈路 市話、行動電話 中斷，尚可用 無線電、傳令：花蓮市公所、鳳林鎮公所、玉里鎮公所、新城鄉公所等 19 處", "warn"),
        ("已知基地台中斷（2 處）：花蓮市、吉安鄉；第 6 回合回報", "warn"),
        ("搶修 rep-001：花蓮市公所（中華電信花蓮營運處搶修班），預計第 8 回合完成", "text"),
    ]
    english = rows(Played(7).session, "comms.links", lang="en")
    assert english[0] == "1 links with landline, mobile down, satellite phone working: central authorities"


def test_a_cut_township_keeps_its_old_report():
    """Fog of war: Ji'an's links are all down, so the EOC's facts about it stop at turn 6
    (the turn-7 reports were still queued when the cut came)."""
    played = Played(9, scenario=loaded([CUT_JIAN]))
    panel = _panel(played.session, "comms.links")
    assert panel[0] == ("4 條鏈路全部中斷（市話、行動電話、無線電、傳令）：吉安鄉公所、吉安民生物資倉庫（虛構）、"
                        "吉安鄉第1急救站、吉安鄉第1配售站", "bad")
    labels = {c.value: c.label["zh_TW"] for c in plugins.choice_registry()["request_report.from_"](played.session, COUNTY, "comms")}
    assert labels["township:jian"] == "吉安鄉公所：第 6 回合回報"
    assert labels["township:fenglin"] == "鳳林鎮公所：第 8 回合回報"
    # The township's reports wait on the far side of the cut: not in the EOC's outbox, which holds
    # only its own orders for the Ji'an office: the dispatch to st_jian (cv-006, turn 8; every
    # order to a township's station travels) and the requisition order (rq-005, turn 9).
    waiting = [m for queue in played.session.domain("comms")["queues"].values() for m in queue]
    assert any(m["from"] == "township:jian" and m["kind"] == "report" and "distribution" in m["payload"]["sections"]
               for m in waiting)  # its stations' report rides in it (log format 6)
    assert _panel(played.session, "comms.queue") == [("往吉安鄉公所：2 則待送（徵購徵用書 ×1、配售站命令 ×1），最早於第 8 回合送出", "bad")]
    session = played.session
    session.submit(Command(None, COUNTY, "commander", "request_report", {"from": "jian"}))
    assert _panel(session, "comms.queue") == [
        ("往吉安鄉公所：3 則待送（回報要求 ×1、徵購徵用書 ×1、配售站命令 ×1），最早於第 8 回合送出", "bad")]
    played.advance_to(10)
    assert _panel(played.session, "comms.queue") == [
        ("往吉安鄉公所：3 則待送（回報要求 ×1、徵購徵用書 ×1、配售站命令 ×1），最早於第 8 回合送出", "bad")]
    played.advance_to(12)  # the cut ended after turn 10: the request went, the answer came
    assert _panel(played.session, "comms.queue") == [("沒有待送訊息", "ok")]
    labels = {c.value: c.label["zh_TW"] for c in plugins.choice_registry()["request_report.from_"](played.session, COUNTY, "comms")}
    assert labels["township:jian"] == "吉安鄉公所：第 11 回合回報"


def test_outbox_shows_waiting_and_moving_messages():
    played = Played(5)
    assert _panel(played.session, "comms.queue") == [
        ("往中央：1 則待送（訊息 ×1），最早於第 5 回合送出", "warn"),
        ("往花蓮市公所：2 則待送（警報轉達 ×1、配售站命令 ×1），最早於第 5 回合送出", "warn"),
        ("往吉安鄉公所：1 則待送（警報轉達 ×1），最早於第 5 回合送出", "warn"),
        ("往新城鄉公所：1 則待送（警報轉達 ×1），最早於第 5 回合送出", "warn"),
    ]
    session = played.session
    session.submit(Command(None, COUNTY, "comms", "send_message",
                           {"id": "m-runner", "to": "fenglin", "body": "請派員回報。", "channel": "runner"}))
    played.advance_to(5, "adjudication")
    assert _panel(session, "comms.queue") == [("往鳳林鎮公所：1 則經傳令傳送中（訊息 ×1），預計第 6 回合送達", "text")]


def test_link_and_node_choices():
    played = Played(8)
    links = values(played.session, "set_channel.link")
    assert links[0] == "eoc:hualien|township:hualien_city" and links[-1] == "central|eoc:hualien" and len(links) == 25
    assert values(played.session, "request_repair.link") == [
        "eoc:hualien|township:jian", "eoc:hualien|warehouse:wh_jian", "eoc:hualien|station:fa-jian-1",
        "eoc:hualien|station:st_jian"]
    assert values(played.session, "request_repair.node")[:2] == ["township:hualien_city", "township:jian"]
    assert values(played.session, "request_report.from_") == field_nodes(played.session, COUNTY)
    assert values(played.session, "set_channel.channel") == ["landline", "mobile", "radio", "satellite", "runner"]
    assert values(Played(5).session, "request_repair.link") == []
    label = plugins.choice_registry()["set_channel.link"](played.session, COUNTY, "comms")[4].label
    assert label == {"zh_TW": "吉安鄉公所：行動電話中斷", "en": "Ji'an township office: mobile down"}


def _args(key):
    def make(session, value):
        state = session.domain("comms")
        if key == "set_channel.link":
            return {"link": value, "channel": state.links[value][0]}
        if key == "set_channel.channel":
            link = next(link for link in values(session, "set_channel.link") if value in state.links[link])
            return {"link": link, "channel": value}
        if key == "request_repair.link":
            return {"id": "rp-new", "link": value, "crew": "搶修班"}
        if key == "request_repair.node":
            return {"id": "rp-new", "node": value, "crew": "搶修班"}
        if key == "request_report.from_":
            return {"from": value}
        if key == "send_message.channel":
            return {"id": "m-new", "to": "fenglin", "body": "測試", "channel": value}
        raise AssertionError(key)
    return make


def test_every_choice_is_accepted():
    seen = tried_choices("comms", [Played(turn) for turn in (5, 7, 9)], _args)
    assert seen == part_choice_keys("comms")


def test_deterministic_and_read_only():
    check_deterministic("comms")
