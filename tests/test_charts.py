"""Figure builders checked through fig.to_dict(): titles, separators, points, markers."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import charts


def _province():
    return pd.DataFrame({
        "period_start": [date(2022, 5, 1), date(2022, 6, 1), date(2022, 7, 1), date(2022, 8, 1)],
        "value": [20.5, None, 23.08, 1470.25],
    })


@pytest.mark.parametrize(("lang", "separators"), [("vi", ",."), ("en", ".,")])
def test_series_figure_uses_the_language_separators_and_app_font(lang, separators):
    fig = charts.series_figure(_province(), name="Tỷ lệ hồ sơ trực tuyến", unit="percent", lang=lang,
                               period_kind="month").to_dict()
    assert fig["layout"]["separators"] == separators
    assert fig["layout"]["font"]["family"].startswith("Be Vietnam Pro")


def test_series_title_explains_itself_in_vietnamese_and_english():
    vi = charts.series_figure(_province(), name="Tỷ lệ hồ sơ trực tuyến", unit="percent", lang="vi",
                              period_kind="month", place="Tỉnh Quảng Nam").to_dict()
    en = charts.series_figure(_province(), name="Share of dossiers submitted online", unit="percent",
                              lang="en", period_kind="month", place="Quang Nam Province").to_dict()
    assert vi["layout"]["title"]["text"] == "Tỷ lệ hồ sơ trực tuyến (%) — Tỉnh Quảng Nam, theo tháng"
    assert en["layout"]["title"]["text"] == "Share of dossiers submitted online (%) — Quang Nam Province, by month"


def test_series_title_without_a_province_name_says_whole_province():
    fig = charts.series_figure(_province(), name="X", unit="percent", lang="vi", period_kind="month").to_dict()
    assert fig["layout"]["title"]["text"] == "X (%) — Toàn tỉnh, theo tháng"


def test_series_points_keep_gaps_and_hover_has_period_label_and_percent_format():
    labels = ["Tháng 5/2022", "Tháng 6/2022", "Tháng 7/2022", "Tháng 8/2022"]
    fig = charts.series_figure(_province(), name="X", unit="percent", lang="vi", period_kind="month",
                               labels=labels).to_dict()
    trace = fig["data"][0]
    y = list(trace["y"])
    assert y[0] == 20.5 and y[2] == 23.08 and y[1] != y[1]  # a gap (NaN), never 0
    assert list(trace["customdata"]) == labels
    assert "%{customdata}" in trace["hovertemplate"]
    assert "%{y:,.2f}%" in trace["hovertemplate"]
    assert fig["layout"]["xaxis"]["tickformat"] == "%m/%Y"


def test_target_line_is_drawn_with_a_formatted_label():
    fig = charts.series_figure(_province(), name="X", unit="percent", lang="vi", target=80).to_dict()
    lines = [s for s in fig["layout"]["shapes"] if s.get("y0") == 80 and s.get("y1") == 80]
    assert lines
    assert any(a["text"] == "Mục tiêu 80,00%" for a in fig["layout"]["annotations"])


@pytest.mark.parametrize(("lang", "text"), [("vi", "Nghị định 42/2022: đổi cách phân loại"),
                                            ("en", "Decree 42/2022: new classification")])
def test_online_services_break_marker_is_a_vertical_line_on_1_july_2022(lang, text):
    fig = charts.series_figure(_province(), name="X", unit="count", lang=lang,
                               break_date=charts.BREAKS["online_services"]).to_dict()
    vertical = [s for s in fig["layout"]["shapes"] if s["x0"] == s["x1"]]
    assert len(vertical) == 1
    assert str(vertical[0]["x0"]).startswith("2022-07-01")
    assert any(a["text"] == text for a in fig["layout"]["annotations"])


def test_unit_series_get_one_trace_each():
    units = pd.DataFrame({"unit_name": ["Hội An", "Hội An", "Tam Kỳ"],
                          "period_start": [date(2022, 5, 1), date(2022, 6, 1), date(2022, 5, 1)],
                          "value": [10.0, 12.0, 30.0]})
    fig = charts.series_figure(_province(), name="X", unit="percent", lang="vi", units=units,
                               unit_labels=["a", "b", "c"], place="Tỉnh Quảng Nam").to_dict()
    names = [tr["name"] for tr in fig["data"]]
    assert names == ["Tỉnh Quảng Nam", "Hội An", "Tam Kỳ"]
    assert list(fig["data"][1]["y"]) == [10.0, 12.0]
    assert list(fig["data"][1]["customdata"]) == ["a", "b"]


def test_empty_series_makes_an_empty_figure_not_an_error():
    empty = pd.DataFrame({"period_start": [], "value": []})
    fig = charts.series_figure(empty, name="X", unit="count", lang="en").to_dict()
    assert len(fig["data"][0].get("y", [])) == 0


def test_sparkline_is_small_axisless_and_formats_counts():
    fig = charts.sparkline([1470, 1500, 1767], unit="count", lang="vi", labels=["a", "b", "c"]).to_dict()
    assert fig["layout"]["height"] == 60
    assert fig["layout"]["xaxis"]["visible"] is False
    assert fig["layout"]["separators"] == ",."
    assert list(fig["data"][0]["y"]) == [1470.0, 1500.0, 1767.0]
    assert "%{y:,.0f}" in fig["data"][0]["hovertemplate"]
