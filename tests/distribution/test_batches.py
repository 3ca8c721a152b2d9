"""R, operating procedure (貨款結清): each batch from the regional supply station is invoiced at
the set price; the county pays it before it collects the next."""

from dist_helpers import Driver, accepted, rejected, scenario
from tabletop import i18n, plugins


def _supply(d):
    return [r.text["zh_TW"] for r in plugins.picture_registry()["distribution.supply"](d.session, "c1")]


def test_a_batch_is_invoiced_at_the_set_price_and_paid():
    d = Driver(scenario(distribution={"prices": {"rice": 30}}))
    before = d.state.warehouses["w1"]["rice"]
    assert accepted(d.do("supply", "collect_batch", id="b1", warehouse="w1", goods={"rice": 1000, "water": 500}))
    invoice = d.events("batch_collected")[0]
    assert invoice["prices"] == {"rice": 30.0, "water": 10.0}  # scenario price; documented default for water
    assert invoice["amount"] == 1000 * 30 + 500 * 10
    assert d.state.warehouses["w1"]["rice"] == before + 1000
    assert any(line.startswith("應付貨款：批次 b1") and "35,000" in line for line in _supply(d)), _supply(d)
    assert accepted(d.do("supply", "pay_batch", batch="b1"))
    assert d.events("batch_paid")[0]["amount"] == 35000
    assert not any(line.startswith("應付貨款") for line in _supply(d))
    assert accepted(d.do("supply", "collect_batch", id="b2", warehouse="w2", goods={"rice": 10}))


def test_collecting_while_the_last_batch_is_unpaid_is_refused():
    d = Driver()
    assert accepted(d.do("supply", "collect_batch", id="b1", warehouse="w1", goods={"rice": 100}))
    before = d.session.snapshot()["domains"]["distribution"]
    bad = rejected(d.do("supply", "collect_batch", id="b2", warehouse="w1", goods={"rice": 100}))
    assert bad["rule"] == "R.payment_settled"
    assert "貨款結清" in i18n.reason(bad, "zh_TW") and "payment settled" in i18n.reason(bad, "en")
    assert d.session.snapshot()["domains"]["distribution"] == before
    assert rejected(d.do("supply", "pay_batch", batch="nope"))["rule"] == "unknown_batch"
    assert accepted(d.do("supply", "pay_batch", batch="b1"))
    assert rejected(d.do("supply", "pay_batch", batch="b1"))["rule"] == "already_paid"
