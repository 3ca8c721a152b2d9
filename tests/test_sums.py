"""``core.sums.total`` adds left to right, as CPython 3.11's ``sum`` does, on every Python (3.12's
``sum`` compensates floats: a log played on 3.11 would not re-simulate on 3.12)."""

import math

from hypothesis import given, strategies as st

from tabletop.core import sums


def _left_to_right(values):
    out = 0
    for value in values:
        out = out + value
    return out


def test_no_compensation():
    assert sums.total([1e16, 1.0, -1e16]) == 0.0  # 3.12's sum: 1.0
    assert sums.total([0.1] * 10) == 0.9999999999999999  # 3.12's sum: 1.0
    assert sums.total(x for x in (2.5, 0.25)) == 2.75
    assert sums.total([]) == 0 and type(sums.total([])) is int
    assert sums.total([1, 2]) == 3 and type(sums.total([1, 2])) is int


@given(st.lists(st.floats(allow_nan=False) | st.integers(-2**53, 2**53), max_size=30))
def test_left_to_right(values):
    found, expected = sums.total(values), _left_to_right(values)
    assert type(found) is type(expected)
    assert (math.isnan(found) and math.isnan(expected)) or repr(found) == repr(expected)


def test_scores_do_not_depend_on_how_sum_adds_floats(tmp_path, monkeypatch):
    """No float total of the scoring goes through ``sum`` (Python 3.12's compensates, so its last
    bits can differ from 3.11's, and a rounded score on a boundary with them): every one is
    ``sums.total``. Golden logs scored with a ``builtins.sum`` that is off by a half for any total
    of floats come out the same."""
    import builtins
    import gzip
    import os

    from tabletop.core import canonical
    from tabletop.scoring import engine, logview

    real = builtins.sum

    def moved(values, start=0):
        values = list(values)
        if any(isinstance(v, float) for v in values) or isinstance(start, float):
            return _left_to_right([start, *values]) + 0.5
        return real(values, start)

    here = os.path.join(os.path.dirname(__file__), "golden")
    for name in ("hualien-seed1", "national-seed1"):
        path = tmp_path / f"{name}.jsonl"
        path.write_bytes(gzip.decompress(open(os.path.join(here, f"{name}.jsonl.gz"), "rb").read()))
        plain = canonical.dumps(engine.score(logview.load(str(path))))
        with monkeypatch.context() as patch:
            patch.setattr(builtins, "sum", moved)
            assert canonical.dumps(engine.score(logview.load(str(path)))) == plain, name
