"""dashboard.unit_charts: figures checked through fig.to_dict(), no Streamlit."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import unit_charts

RATES = pd.DataFrame({
    "name": ["Huyện A", "Huyện B", "Huyện C"],
    "value": [23.08, 61.5, 1470.0 / 100],
    "numerator": [300, 800, 147],
    "denominator": [1300, 1300, 1000],
    "note": ["", "", "Đã sáp nhập vào Quế Sơn (từ 01/01/2025)"],
})


def _bar(**kwargs):
    args = {"unit": "percent", "direction": "up", "title": "Tỷ lệ — Tháng 12/2024", "lang": "vi",
            "target": 80.0, "province": 23.08} | kwargs
    return unit_charts.ranked_bar(RATES, **args).to_dict()


@pytest.mark.parametrize(("lang", "separators"), [("vi", ",."), ("en", ".,")])
def test_ranked_bar_uses_the_language_separators(lang, separators):
    assert _bar(lang=lang)["layout"]["separators"] == separators


def test_ranked_bar_puts_the_best_unit_at_the_top():
    fig = _bar()
    assert list(fig["data"][0]["y"]) == ["Huyện B", "Huyện A", "Huyện C"]
    assert fig["layout"]["yaxis"]["autorange"] == "reversed"


def test_ranked_bar_flips_order_when_lower_is_better():
    assert list(_bar(direction="down")["data"][0]["y"]) == ["Huyện C", "Huyện A", "Huyện B"]


def test_ranked_bar_labels_are_vietnamese_numbers_and_hover_has_the_parts():
    bar = _bar()["data"][0]
    assert list(bar["text"]) == ["61,50%", "23,08%", "14,70%"]
    assert "1.300" in bar["hovertext"][0]
    assert "Đã sáp nhập vào Quế Sơn (từ 01/01/2025)" in bar["hovertext"][2]


def test_ranked_bar_has_target_and_province_lines():
    fig = _bar()
    lines = {(s["x0"], s["line"]["dash"]) for s in fig["layout"]["shapes"]}
    assert lines == {(80.0, "dot"), (23.08, "dash")}
    texts = [a["text"] for a in fig["layout"]["annotations"]]
    assert texts == ["Mục tiêu: 80,00%", "Toàn tỉnh: 23,08%"]


def test_ranked_bar_leaves_out_units_without_a_value():
    frame = pd.concat([RATES, pd.DataFrame({"name": ["Huyện D"], "value": [None]})], ignore_index=True)
    fig = unit_charts.ranked_bar(frame, unit="percent", direction="up", title="T").to_dict()
    assert "Huyện D" not in fig["data"][0]["y"]


def test_ranked_bar_count_values_group_thousands():
    frame = pd.DataFrame({"name": ["A"], "value": [1470.0]})
    fig = unit_charts.ranked_bar(frame, unit="count", direction="up", title="T").to_dict()
    assert list(fig["data"][0]["text"]) == ["1.470"]


@pytest.mark.parametrize(("lang", "yes"), [("vi", "Có"), ("en", "Yes")])
def test_yes_no_bars_say_yes_or_no_without_lines(lang, yes):
    frame = pd.DataFrame({"name": ["A", "B"], "value": [0.0, 1.0]})
    fig = unit_charts.ranked_bar(frame, unit="yesno", direction="up", title="T", lang=lang).to_dict()
    assert fig["data"][0]["text"][0] == yes
    assert list(fig["data"][0]["y"]) == ["B", "A"]
    assert not fig["layout"].get("shapes")


def test_heatmap_normalises_per_indicator_and_flips_for_down():
    matrix = pd.DataFrame({
        "indicator_code": ["up", "up", "down", "down"],
        "name": ["A", "B", "A", "B"],
        "value": [10.0, 2000.0, 5.0, 1.0],
        "period_label": ["Tháng 12/2024"] * 2 + ["Quý IV/2024"] * 2,
    })
    catalogue = pd.DataFrame({"code": ["up", "down"], "name": ["Tăng", "Giảm"],
                              "unit": ["count", "percent"], "direction": ["up", "down"]})
    fig = unit_charts.heatmap(matrix, catalogue, title="T", lang="vi").to_dict()
    heat = fig["data"][0]
    assert list(heat["x"]) == ["Tăng", "Giảm"]
    assert [list(r) for r in heat["z"]] == [[0.0, 0.0], [1.0, 1.0]]
    assert [list(r) for r in heat["text"]] == [["10", "5,00%"], ["2.000", "1,00%"]]


def test_heatmap_leaves_unreported_cells_empty():
    matrix = pd.DataFrame({"indicator_code": ["x"], "name": ["A"], "value": [3.0], "period_label": ["2024"]})
    catalogue = pd.DataFrame({"code": ["x"], "name": ["X"], "unit": ["count"], "direction": ["up"]})
    fig = unit_charts.heatmap(matrix, catalogue, title="T", unit_order=["A", "B"]).to_dict()
    assert fig["data"][0]["z"][1][0] is None
    assert fig["data"][0]["text"][1][0] == ""


def test_short_name_cuts_at_a_word():
    assert unit_charts.short_name("Tỷ lệ hồ sơ giải quyết đúng hạn trên môi trường mạng", 20) == "Tỷ lệ hồ sơ giải…"


def test_trend_lines_draw_the_province_dashed():
    series = pd.DataFrame({"name": ["A", "A"], "period_end": pd.to_datetime(["2024-01-31", "2024-02-29"]),
                           "period_label": ["Tháng 1/2024", "Tháng 2/2024"], "value": [10.0, 12.5]})
    province = series.drop(columns="name").assign(value=[11.0, 11.5])
    fig = unit_charts.trend_lines(series, province, unit="percent", title="T", lang="vi").to_dict()
    assert [d["name"] for d in fig["data"]] == ["A", "Toàn tỉnh"]
    assert fig["data"][1]["line"]["dash"] == "dash"
    assert fig["data"][0]["customdata"][1][1] == "12,50%"


def test_bubble_map_is_a_plain_scatter_with_the_right_aspect():
    frame = pd.DataFrame({"name": ["Tam Kỳ", "Nông Sơn", "Hội An"], "lat": [15.56, None, 15.88],
                          "lon": [108.48, None, 108.33], "value": [25.1, 20.9, None]})
    fig = unit_charts.bubble_map(frame, unit="percent", direction="up", title="T", lang="vi").to_dict()
    assert {d["type"] for d in fig["data"]} == {"scatter"}
    assert "geo" not in fig["layout"] and "mapbox" not in fig["layout"] and "map" not in fig["layout"]
    placed = [n for d in fig["data"] for n in d["text"]]
    assert not any("Nông Sơn" in n for n in placed)
    assert "Tam Kỳ<br>25,10%" in placed
    assert fig["layout"]["yaxis"]["scaleanchor"] == "x"
    assert fig["layout"]["yaxis"]["scaleratio"] == pytest.approx(1 / math.cos(math.radians(15.72)))
    assert fig["layout"]["xaxis"]["visible"] is False


def test_ranked_bar_draws_a_line_between_the_best_and_the_weakest():
    fig = unit_charts.ranked_bar(RATES, unit="percent", direction="up", title="T", lang="vi",
                                 split_after=1).to_dict()
    split = [s for s in fig["layout"]["shapes"] if s.get("name") == "split"]
    assert len(split) == 1 and split[0]["y0"] == split[0]["y1"] == 0.5
    plain = unit_charts.ranked_bar(RATES, unit="percent", direction="up", title="T", lang="vi").to_dict()
    assert not [s for s in plain["layout"].get("shapes", []) if s.get("name") == "split"]


def test_bubble_map_of_many_units_has_small_unlabelled_markers_named_on_hover():
    n = unit_charts.LABEL_LIMIT + 1
    frame = pd.DataFrame({"name": [f"Xã {i}" for i in range(n)], "lat": [15.0 + i / 100 for i in range(n)],
                          "lon": [108.0] * n, "value": [float(i) for i in range(n - 1)] + [None]})
    fig = unit_charts.bubble_map(frame, unit="percent", direction="up", title="T", lang="vi").to_dict()
    assert [d["mode"] for d in fig["data"]] == ["markers", "markers"]
    assert max(fig["data"][0]["marker"]["size"]) <= 22
    assert fig["data"][0]["hovertext"][1] == "<b>Xã 1</b><br>1,00%"
    few = unit_charts.bubble_map(frame.head(3), unit="percent", direction="up", title="T", lang="vi").to_dict()
    assert few["data"][0]["mode"] == "markers+text"
