"""The topic pages' plotly builders, checked through ``fig.to_dict()``."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import topic_charts as charts


def owners_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "period_start": pd.to_datetime(["2022-03-01", "2022-03-01", "2022-04-01", "2022-04-01"]),
        "owner": ["Trung ương", "Tỉnh", "Trung ương", "Tỉnh"],
        "value": [48.0, 91.0, 49.0, 92.0],
    })


@pytest.mark.parametrize(("lang", "separators"), [("vi", ",."), ("en", ".,")])
def test_stacked_bars_stack_each_owner_with_the_language_separators(lang, separators):
    fig = charts.stacked_breakdown_bars(owners_frame(), x="period_start", series="owner", value="value",
                                        title="Số CSDL", lang=lang, y_title="Số CSDL",
                                        order=["Trung ương", "Tỉnh"]).to_dict()
    assert fig["layout"]["barmode"] == "stack"
    assert fig["layout"]["separators"] == separators
    assert fig["layout"]["title"]["text"] == "Số CSDL"
    assert [t["name"] for t in fig["data"]] == ["Trung ương", "Tỉnh"]
    assert list(fig["data"][1]["y"]) == [91.0, 92.0]
    assert "%{y:,.0f}" in fig["data"][0]["hovertemplate"]
    assert fig["layout"]["xaxis"]["tickformat"] == "%m/%Y"


def test_stacked_bars_can_lay_long_unit_names_along_the_y_axis():
    frame = pd.DataFrame({"unit": ["Sở Y tế", "Sở Y tế"], "status": ["Đã thẩm định", "Đang thẩm định"],
                          "value": [1.0, 2.0]})
    fig = charts.stacked_breakdown_bars(frame, x="unit", series="status", value="value", title="Dự án",
                                        lang="vi", y_title="Số dự án", x_is_date=False,
                                        horizontal=True).to_dict()
    assert [t["orientation"] for t in fig["data"]] == ["h", "h"]
    assert list(fig["data"][1]["x"]) == [2.0]
    assert fig["layout"]["xaxis"]["title"]["text"] == "Số dự án"
    assert "%{x:,.0f}" in fig["data"][0]["hovertemplate"]


def test_progress_bars_draw_the_100_percent_target_and_colour_finished_units():
    frame = pd.DataFrame({"unit": ["Sở Y tế", "Sở Xây dựng"], "value": [100.0, 50.5]})
    fig = charts.progress_bars(frame, label="unit", value="value", title="Tiến độ", lang="vi",
                               x_title="%", target=100.0, target_text="Mục tiêu 100%").to_dict()
    bar = fig["data"][0]
    assert list(bar["y"]) == ["Sở Xây dựng", "Sở Y tế"]  # ascending: the finished one on top
    assert list(bar["text"]) == ["50,5%", "100,0%"]
    assert bar["marker"]["color"][1] == charts.OK_COLOUR
    line = fig["layout"]["shapes"][0]
    assert line["x0"] == line["x1"] == 100.0
    assert fig["layout"]["annotations"][0]["text"] == "Mục tiêu 100%"


def test_line_series_has_one_line_per_unit_and_a_target_line():
    frame = pd.DataFrame({
        "period_start": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-01"]),
        "unit": ["A", "A", "B"], "value": [10.0, 20.0, 30.0],
    })
    fig = charts.line_series(frame, x="period_start", series="unit", value="value", title="T", lang="en",
                             y_title="%", unit="percent", target=80.0, target_text="Target 2025: 80%").to_dict()
    assert [t["name"] for t in fig["data"]] == ["A", "B"]
    assert fig["data"][0]["hovertemplate"].endswith("%{y:,.2f}%<extra></extra>")
    assert fig["layout"]["yaxis"]["ticksuffix"] == "%"
    assert fig["layout"]["shapes"][0]["y0"] == 80.0


def test_share_by_date_labels_bars_with_the_fraction_text():
    frame = pd.DataFrame({
        "date": ["30/04/2022", "30/04/2022"], "group": ["Huyện", "Sở, ngành"],
        "value": [88.89, 35.0], "text": ["16/18 huyện (88,89%)", "7/20 sở, ngành (35%)"],
    })
    fig = charts.share_by_date(frame, x="date", group="group", value="value", text="text", title="BCĐ",
                               lang="vi", y_title="%", deadline=date(2022, 5, 10),
                               deadline_text="Hạn chót: 10/05/2022").to_dict()
    assert fig["layout"]["barmode"] == "group"
    assert [t["text"][0] for t in fig["data"]] == ["16/18 huyện (88,89%)", "7/20 sở, ngành (35%)"]
    assert fig["layout"]["annotations"][0]["text"] == "Hạn chót: 10/05/2022"


@pytest.mark.parametrize(("lang", "text"), [("vi", "1.470"), ("en", "1,470")])
def test_status_bars_keep_pipeline_order_and_highlight_overdue(lang, text):
    frame = pd.DataFrame({"label": ["Đã thẩm định", "Đang thẩm định"], "value": [1470.0, 7.0]})
    fig = charts.status_bars(frame, label="label", value="value", title="Dự án", lang=lang, x_title="n",
                             highlight=["Đang thẩm định"]).to_dict()
    bar = fig["data"][0]
    assert list(bar["y"]) == ["Đã thẩm định", "Đang thẩm định"]
    assert fig["layout"]["yaxis"]["autorange"] == "reversed"
    assert list(bar["marker"]["color"]) == [charts.PALETTE[0], charts.LATE_COLOUR]
    assert bar["text"][0] == text


def test_online_services_chart_marks_the_series_break():
    frame = pd.DataFrame({
        "period_start": pd.to_datetime(["2022-06-01", "2022-07-01"]),
        "series": ["DVC", "DVC"], "value": [1508.0, 1593.0],
    })
    fig = charts.online_services_chart(frame, x="period_start", series="series", value="value", title="DVC",
                                       lang="vi", y_title="Số dịch vụ", break_date=date(2022, 7, 1),
                                       break_text="Nghị định 42/2022: mức độ 3, 4 → một phần, toàn trình").to_dict()
    shape = fig["layout"]["shapes"][0]
    assert shape["x0"] == shape["x1"] == "2022-07-01"
    assert shape["yref"] == "paper"
    note = fig["layout"]["annotations"][0]
    assert note["text"] == "Nghị định 42/2022: mức độ 3, 4 → một phần, toàn trình"
    assert note["x"] == "2022-07-01"
    assert fig["layout"]["separators"] == ",."
    assert fig["layout"]["yaxis"]["tickformat"] == ",d"
