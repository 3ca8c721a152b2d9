"""The shortcuts around ``round`` in the hot paths give exactly what ``round`` gives."""

import math
import struct

from hypothesis import given, strategies as st

from tabletop.distribution.reports import _rounded

FLOATS = st.floats(allow_nan=True, allow_infinity=True) | st.integers(-2**40, 2**40).map(lambda n: n / 8) \
    | st.integers(-2**40, 2**40).map(lambda n: n / 64)


def _same(a: float, b: float) -> bool:
    """Equal as the log writes them: the same bits (NaN is NaN; -0.0 is not 0.0)."""
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return type(a) is type(b) and struct.pack("<d", a) == struct.pack("<d", b)


@given(st.lists(FLOATS, max_size=4))
def test_reported_stock_is_what_round_gives(values):
    stock = {f"g{i}": v for i, v in enumerate(values)}
    rounded = _rounded(stock)
    assert list(rounded) == list(stock)
    assert all(_same(rounded[k], round(v, 3)) for k, v in stock.items())


@given(FLOATS)
def test_a_multiple_of_a_64th_is_its_own_rounding_to_six_places(value):
    """What service.serve relies on for a served line's quantity."""
    if (value * 64.0).is_integer():
        assert _same(round(value, 6), value)


def test_whole_and_signed_zero_and_ints():
    stock = {"a": -0.0, "b": 3, "c": 2.5, "d": 0.1 + 0.2, "e": 1e308, "f": float("inf")}
    rounded = _rounded(stock)
    assert all(_same(rounded[k], round(v, 3)) or rounded[k] == round(v, 3) for k, v in stock.items())
    assert type(rounded["b"]) is int and struct.pack("<d", rounded["a"]) == struct.pack("<d", -0.0)
