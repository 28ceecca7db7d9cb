"""The overview's latest province values (overview_queries._province_latest) are computed over
each indicator's recent periods first, and over all of them for an indicator with too few
values there: the result must be the last two values of the full province series, whatever
the periods' spacing and wherever the values stop."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import overview_queries as oq
from etl.loader import load_bytes
from tests.conftest import long_csv

TODAY = date(2026, 11, 25)
UNITS = ("TP. Tam Kỳ", "TP. Hội An", "Huyện Đại Lộc")


def _rate_rows(periods, filled):
    """online_dossier_rate (a ratio): real parts in the periods of `filled`, 0 / 0 (no rate) elsewhere."""
    return [[p, u, "online_dossier_rate", None, str(10 + i) if p in filled else "0", "40" if p in filled else "0",
             None, None] for p in periods for i, u in enumerate(UNITS)]


def _count_rows(periods, indicator="agencies_with_lan"):
    return [[p, u, indicator, str(3 + i + k), None, None, None, None]
            for k, p in enumerate(periods) for i, u in enumerate(UNITS)]


WEEKS = [f"2024-W{w:02d}" for w in range(1, 27)]
MONTHS = [f"Tháng {m}/2024" for m in range(1, 13)]
DATES = ["Tính đến ngày 31/01/2020", "Tính đến ngày 15/06/2024", "Tính đến ngày 20/06/2024"]

CASES = {
    # the last 20 weeks have no rate: the two values are long before the window
    "values-before-the-window": _rate_rows(WEEKS, filled=WEEKS[:3]),
    # values throughout: the window holds both
    "values-in-the-window": _rate_rows(WEEKS, filled=WEEKS),
    # one value only, in the first month
    "one-value": _rate_rows(MONTHS, filled=MONTHS[:1]),
    # snapshot dates (no window), years apart
    "dates": _count_rows(DATES),
    # weeks with a gap of a year between the last two
    "gap": _count_rows(["2023-W05", "2024-W20"]),
}


def _expected(cur, code):
    series = oq.province_series(cur, code, province="49")
    series = series[series["value"].notna()].sort_values(["period_end", "period_start"], ascending=False)
    return [(pd.Timestamp(r.period_start).date(), pd.Timestamp(r.period_end).date(), pytest.approx(r.value))
            for r in series.head(2).itertuples()]


@pytest.mark.parametrize("case", list(CASES))
def test_latest_values_equal_the_end_of_the_full_series(warehouse, case):
    assert load_bytes(warehouse, long_csv(CASES[case]), f"{case}.csv", "t", today=TODAY).status == "loaded"
    cur = warehouse.cursor()
    code = CASES[case][0][2]
    expected = _expected(cur, code)
    assert expected, "the case must have a province value"
    for need in (1, 2):
        got = oq._province_latest(cur, "49", need=need).get(code, [])
        assert [(pd.Timestamp(r["period_start"]).date(), pd.Timestamp(r["period_end"]).date(), r["value"])
                for r in got][:need] == expected[:need]
    frame = oq.indicator_latest(cur, province="49").set_index("code")
    assert frame.loc[code, "value"] == expected[0][2]
    if len(expected) > 1:
        assert frame.loc[code, "prev_value"] == expected[1][2]
        assert pd.Timestamp(frame.loc[code, "prev_period_end"]).date() == expected[1][1]
    else:
        assert frame.loc[code, "prev_value"] != frame.loc[code, "prev_value"]  # NaN: no earlier value
