"""'By area' (``/districts``; Quảng Nam's districts in the sample) and 'By department' pages
(AppTest) on the sample warehouse, in both languages. The area rule and communes after
01/07/2025: tests/test_area.py and tests/test_area_page.py.

Expected figures are computed here with plain SQL on the warehouse's
`indicator_values` view, not with the page's own functions.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.formatting import fmt_percent
from dashboard.i18n import t
from tests.conftest import sample_cursor

RANGE = "2022-02-01..2022-03-31"
DISTRICT_KINDS = ("city", "town", "district")


def _charts(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def _texts(at) -> str:
    """Every text the page wrote (markdown, captions, metrics, alerts, chart JSON)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [f"{m.label} {m.value}" for m in at.metric] + [i.value for i in at.info]
    parts += [json.dumps(c, ensure_ascii=False) for c in _charts(at)]
    return "\n".join(parts)


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _province_rate(cur, code: str, start: str, end: str) -> float:
    return cur.execute(
        """SELECT 100.0 * sum(numerator) / sum(denominator) FROM indicator_values
           WHERE indicator_code = ? AND period_start = ? AND period_end = ? AND breakdown = ''""",
        [code, start, end],
    ).fetchone()[0]


def _best_unit(cur, code: str, start: str, end: str, kinds, lang: str) -> tuple[str, float]:
    name = "u.name_en" if lang == "en" else "u.name_vi"
    marks = ", ".join("?" for _ in kinds)
    return cur.execute(
        f"""SELECT {name}, 100.0 * iv.numerator / iv.denominator AS rate
            FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
            WHERE iv.indicator_code = ? AND iv.period_start = ? AND iv.period_end = ?
              AND iv.breakdown = '' AND u.kind IN ({marks})
            ORDER BY rate DESC LIMIT 1""",
        [code, start, end, *kinds],
    ).fetchone()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_district_page_shows_province_rate_as_ratio_of_sums(sample_app, sample_db, lang):
    at = sample_app("views/districts.py", lang=lang, indicator="online_dossier_rate", period=RANGE, province="49")
    expected = fmt_percent(_province_rate(sample_cursor(sample_db), "online_dossier_rate",
                                          "2022-02-01", "2022-03-31"), 2, lang)
    assert expected == ("23,08%" if lang == "vi" else "23.08%")
    assert _metric(at, t("units.metric.province", lang)) == expected
    ranking = _charts(at)[0]
    province_line = [a["text"] for a in ranking["layout"]["annotations"]]
    assert t("units.province_line", lang, value=expected) in province_line


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_district_ranking_puts_the_best_district_first_with_its_formatted_value(sample_app, sample_db, lang):
    at = sample_app("views/districts.py", lang=lang, indicator="online_dossier_rate", period=RANGE, province="49")
    name, rate = _best_unit(sample_cursor(sample_db), "online_dossier_rate", "2022-02-01", "2022-03-31",
                            DISTRICT_KINDS, lang)
    bars = _charts(at)[0]["data"][0]
    assert bars["y"][0] == name
    assert bars["text"][0] == fmt_percent(rate, 2, lang)
    assert len(bars["y"]) == 18
    title = _charts(at)[0]["layout"]["title"]["text"]
    assert title.startswith("Tỷ lệ hồ sơ trực tuyến theo huyện — " if lang == "vi"
                            else "Share of dossiers submitted online by district — ")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_deep_link_selects_indicator_and_period(sample_app, lang):
    at = sample_app("views/districts.py", lang=lang, indicator="ontime_dossier_rate", period=RANGE, province="49")
    values = {s.label: s.value for s in at.selectbox}
    assert values[t("common.indicator", lang)] == "ontime_dossier_rate"
    assert values[t("common.period", lang)] == RANGE
    assert at.query_params["indicator"] == "ontime_dossier_rate"


def test_district_page_is_called_by_area_and_keeps_its_url():
    from dashboard.navigation import page_by_url

    spec = page_by_url("districts")
    assert spec.path == "views/districts.py"
    assert (t(spec.title_key, "vi"), t(spec.title_key, "en")) == ("Theo địa bàn", "By area")


def test_default_view_is_online_dossier_rate_in_the_latest_month(sample_app, sample_db):
    at = sample_app("views/districts.py", province="49")
    latest = sample_cursor(sample_db).execute(
        """SELECT strftime(max(period_start), '%Y-%m') FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
           WHERE indicator_code = 'online_dossier_rate' AND period_kind = 'month' AND u.parent = '49'"""
    ).fetchone()[0]
    values = {s.label: s.value for s in at.selectbox}
    assert values["Chỉ tiêu"] == "online_dossier_rate"
    assert values["Kỳ báo cáo"] == latest
    assert "Tỷ lệ hồ sơ trực tuyến theo huyện — Tháng 12/2024" in _texts(at)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_merged_district_is_shown_under_its_own_name_with_a_note(sample_app, lang):
    at = sample_app("views/districts.py", lang=lang, indicator="online_dossier_rate", period=RANGE, province="49")
    name = "Huyện Nông Sơn" if lang == "vi" else "Nong Son District"
    assert name in _charts(at)[0]["data"][0]["y"]
    note = ("Đã sáp nhập vào Quế Sơn (từ 01/01/2025)" if lang == "vi"
            else "Merged into Que Son (from 01/01/2025)")
    assert note in _texts(at)
    # Nông Sơn has no centroid: listed under the map, not placed on it
    assert (t("units.no_coordinates", lang, names=name)) in [c.value for c in at.caption]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_departments_that_did_not_report_are_listed_not_drawn(sample_app, sample_db, lang):
    at = sample_app("views/departments.py", lang=lang, indicator="specialised_db_progress", period="2024-12", province="49")
    name = "u.name_en" if lang == "en" else "u.name_vi"
    silent = [r[0] for r in sample_cursor(sample_db).execute(
        f"""SELECT {name} FROM units u WHERE u.kind = 'department' AND u.parent = '49'
              AND (u.valid_from IS NULL OR u.valid_from <= DATE '2024-12-31')
              AND (u.valid_to IS NULL OR u.valid_to >= DATE '2024-12-01')
              AND u.code NOT IN (SELECT unit_code FROM indicator_values
                                 WHERE indicator_code = 'specialised_db_progress'
                                   AND period_start = DATE '2024-12-01' AND period_end = DATE '2024-12-31')"""
    ).fetchall()]
    assert len(silent) == 12
    listing = next(m.value for m in at.markdown if m.value.startswith("**" + t("common.not_reported", lang)))
    assert f"({len(silent)})" in listing
    assert all(n in listing for n in silent)
    drawn = _charts(at)[0]["data"][0]["y"]
    assert not set(silent) & set(drawn)
    assert len(drawn) == 8


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_department_page_province_value_and_top_department(sample_app, sample_db, lang):
    at = sample_app("views/departments.py", lang=lang, indicator="online_dossier_rate", period=RANGE, province="49")
    cur = sample_cursor(sample_db)
    assert _metric(at, t("units.metric.province", lang)) == fmt_percent(
        _province_rate(cur, "online_dossier_rate", "2022-02-01", "2022-03-31"), 2, lang)
    name, rate = _best_unit(cur, "online_dossier_rate", "2022-02-01", "2022-03-31", ("department",), lang)
    bars = _charts(at)[0]["data"][0]
    assert (bars["y"][0], bars["text"][0]) == (name, fmt_percent(rate, 2, lang))
    assert len(_charts(at)) == 3  # ranking, heatmap, trend (no map for departments)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_weekly_period_on_departments_page_lists_every_department_as_not_reported(sample_app, sample_db,
                                                                                  lang):
    """Departments report monthly; the districts' weekly 2024 figures have no department rows."""
    at = sample_app("views/departments.py", lang=lang, indicator="online_dossier_rate", period="2024-W10", province="49")
    assert {s.label: s.value for s in at.selectbox}[t("common.period", lang)] == "2024-W10"
    assert t("units.no_data_period", lang) in [i.value for i in at.info]
    listing = next(m.value for m in at.markdown if m.value.startswith("**" + t("common.not_reported", lang)))
    assert "(20)" in listing
    # the whole province's value still comes from the districts' weekly reports
    rate = _province_rate(sample_cursor(sample_db), "online_dossier_rate", "2024-03-04", "2024-03-10")
    assert _metric(at, t("units.metric.province", lang)) == fmt_percent(rate, 2, lang)


def test_yes_no_indicator_is_shown_as_yes_no_with_share(sample_app, sample_db):
    at = sample_app("views/districts.py", lang="vi", indicator="steering_committee_formed", period="2022-04-30", province="49")
    yes, total = sample_cursor(sample_db).execute(
        """SELECT count(*) FILTER (WHERE value = 1), count(*) FROM indicator_values iv
           JOIN units u ON u.code = iv.unit_code
           WHERE indicator_code = 'steering_committee_formed' AND period_end = DATE '2022-04-30'
             AND u.kind IN ('city', 'town', 'district')"""
    ).fetchone()
    bars = _charts(at)[0]["data"][0]
    assert set(bars["text"]) <= {"Có", "Không"}
    assert bars["text"].count("Có") == yes
    assert f"Có: {yes}/{total} đơn vị" in _charts(at)[0]["layout"]["title"]["text"]


def test_heatmap_and_trend_follow_the_language(sample_app):
    at = sample_app("views/districts.py", lang="en", indicator="online_dossier_rate", period=RANGE, province="49")
    charts = _charts(at)
    heat = next(c for c in charts if c["data"][0]["type"] == "heatmap")
    assert "latest period of each indicator" in heat["layout"]["title"]["text"]
    assert heat["layout"]["separators"] == ".,"
    assert "Tam Ky City" in heat["data"][0]["y"]
    trend = next(c for c in charts if c["data"][0]["type"] == "scatter" and "over time" in
                 c["layout"]["title"]["text"])
    assert trend["data"][-1]["line"]["dash"] == "dash"  # the province
    assert len(trend["data"]) == 4  # top 3 districts by default + province
    assert at.multiselect[0].value == at.query_params["units"].split(",")


def test_pages_show_no_traceback_on_an_empty_warehouse(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from etl.bootstrap import open_warehouse

    path = tmp_path / "empty.duckdb"
    open_warehouse(path, with_sample=False).close()
    monkeypatch.setenv("DX_WAREHOUSE", str(path))
    for page in ("views/districts.py", "views/departments.py"):
        at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
        at.run()
        at.switch_page(page)
        at.run()
        assert not at.exception
        assert t("units.no_indicators", "vi") in [i.value for i in at.info]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_unit_names_for_the_page_are_the_row_by_row_names(sample_db, lang):
    """unit_page._names (one pass over the column) gives what _name gives row by row, the
    Vietnamese name standing in where an English one is missing or empty."""
    import pandas as pd

    from dashboard import unit_page

    units = sample_cursor(sample_db).execute("SELECT code, name_vi, name_en FROM units").df()
    units = pd.concat([units, pd.DataFrame({"code": ["x1", "x2"], "name_vi": ["Xã Một", "Xã Hai"],
                                            "name_en": [None, ""]})], ignore_index=True)
    expected = {r["code"]: unit_page._name(r, lang) for _, r in units.iterrows()}
    assert unit_page._names(units, lang) == expected
    assert expected["x2"] == "Xã Hai"
