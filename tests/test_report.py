"""The weekly report: week rules, figures as of a day, rankings, deadlines, the page in AppTest.

Expected figures are computed here with plain SQL on ``indicator_values`` (not
with the report's own functions).
"""

from __future__ import annotations

from datetime import date

import pytest

from dashboard import report as R
from dashboard.formatting import fmt_percent
from etl.periods import Period
from tests.conftest import sample_cursor

RATE = "online_dossier_rate"
CHILD_KINDS = "('city', 'town', 'district', 'department')"


def province_rate_sql(cur, kind: str, start: date) -> float:
    """100 * sum(numerator) / sum(denominator) over the districts and departments of one period."""
    return cur.execute(
        f"""SELECT 100.0 * sum(numerator) / sum(denominator)
            FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
            WHERE iv.indicator_code = ? AND iv.period_kind = ? AND iv.period_start = ?
              AND iv.breakdown = '' AND u.parent = '49' AND u.kind IN {CHILD_KINDS}""",
        [RATE, kind, start],
    ).fetchone()[0]


@pytest.fixture
def cur(sample_db):
    c = sample_cursor(sample_db)
    yield c
    c.close()


@pytest.mark.parametrize(("text", "label"), [
    ("2026-W47", "Tuần 47/2026 (16/11–22/11/2026)"),
    ("2024-W16", "Tuần 16/2024 (15/04–21/04/2024)"),
    ("2025-W01", "Tuần 1/2025 (30/12/2024–05/01/2025)"),
])
def test_parse_week_reads_iso_weeks_and_labels_them_in_vietnamese(text, label):
    assert R.parse_week(text).label("vi") == label


@pytest.mark.parametrize("text", ["2026-W54", "2026-13", "2024-Q1", "tuần sau", ""])
def test_parse_week_refuses_what_is_not_an_iso_week(text):
    with pytest.raises(R.WeekError):
        R.parse_week(text)


def test_default_week_is_the_week_containing_the_as_of_date(cur):
    # the sample ends with Đà Nẵng's September 2026 (Quảng Nam's data ends with 2024)
    assert R.data_as_of(cur) == date(2026, 9, 30)
    assert R.data_as_of(cur, date(2025, 6, 30)) == date(2024, 12, 31)
    assert R.default_week(cur).code == "2026-W40"


def test_week_options_run_from_today_back_to_the_first_data_newest_first(cur):
    weeks = R.week_options(cur, today=date(2026, 11, 20))
    assert weeks[0].code == "2026-W47"
    assert "2025-W01" in [w.code for w in weeks] and "2024-W16" in [w.code for w in weeks]
    assert weeks == sorted(weeks, reverse=True)


def test_headline_value_is_the_newest_period_ending_by_the_end_of_the_week(cur):
    # week 26 of 2024 ends on 30/06: the June figure; a week earlier (23/06): May; 31/12/2023: December
    rep = R.build_report(cur, "2024-W26", province="49")
    row = next(r for r in rep.headline if r.code == RATE)
    assert row.current.period == Period.month(2024, 6)
    assert row.compare.period == Period.month(2024, 5)
    assert row.year_start.period == Period.month(2023, 12)
    assert row.current.value == pytest.approx(province_rate_sql(cur, "month", date(2024, 6, 1)))
    assert row.year_start.value == pytest.approx(province_rate_sql(cur, "month", date(2023, 12, 1)))


def test_a_weekly_figure_wins_when_the_week_itself_was_reported(cur):
    rep = R.build_report(cur, "2024-W16", province="49")
    row = next(r for r in rep.headline if r.code == RATE)
    assert row.current.period.code == "2024-W16" and row.compare.period.code == "2024-W15"


def test_headline_table_states_the_period_of_each_value_and_the_change(cur):
    rep = R.build_report(cur, "2024-W26", province="49")
    table = rep.section("headline").table
    expected = fmt_percent(province_rate_sql(cur, "month", date(2024, 6, 1)), 2, "vi")
    rate = table[table["Chỉ tiêu"] == "Tỷ lệ hồ sơ trực tuyến"].iloc[0]
    assert rate["Giá trị"] == expected
    assert rate["Kỳ số liệu"] == "Tháng 6/2024"
    assert rate["So với tuần 25/2024"].endswith("(Tháng 5/2024)") and "điểm %" in rate["So với tuần 25/2024"]
    assert rate["Từ đầu năm 2024"].endswith("(Tháng 12/2023)")


def test_comparing_with_an_earlier_week_uses_that_week(cur):
    rep = R.build_report(cur, "2024-W26", province="49", compare="2024-W10")
    row = next(r for r in rep.headline if r.code == RATE)
    assert rep.compare.code == "2024-W10"
    assert row.compare.period.code == "2024-W10"


def test_rankings_give_five_best_and_five_weakest_per_group(cur):
    rep = R.build_report(cur, "2024-W26", province="49")
    for group in ("district", "department"):
        rank = rep.ranking(group)
        assert rank.period == Period.month(2024, 6)
        assert len(rank.best) == 5 and len(rank.weakest) == 5
        values = [v for _, v in rank.best] + [v for _, v in rank.weakest]
        assert values == sorted(values, reverse=True)
    best_district = cur.execute(
        """SELECT max(value) FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
           WHERE indicator_code = ? AND period_kind = 'month' AND period_start = DATE '2024-06-01'
             AND u.kind IN ('city', 'town', 'district')""", [RATE]).fetchone()[0]
    assert rep.ranking("district").best[0][1] == pytest.approx(best_district)


def test_departments_rank_in_their_own_newest_period_when_only_districts_report_weekly(cur):
    rep = R.build_report(cur, "2024-W16", province="49")
    assert rep.ranking("district").period.code == "2024-W16"
    assert rep.ranking("department").period == Period.month(2024, 3)


def test_units_that_did_not_report_are_listed(sample_db, tmp_path):
    """A private copy of the warehouse where one district's June 2024 online rate is missing."""
    import shutil

    import duckdb

    db = tmp_path / "w.duckdb"
    shutil.copy(sample_db, db)
    con = duckdb.connect(str(db))
    con.execute("""DELETE FROM current_facts WHERE indicator_code = 'online_dossier_rate' AND unit_code = '503'
                   AND period_kind = 'month' AND period_start = DATE '2024-06-01'""")
    name = con.execute("SELECT name_vi FROM units WHERE code = '503'").fetchone()[0]
    rep = R.build_report(con.cursor(), "2024-W26", province="49")
    con.close()
    missing = [m for m in rep.missing if m.code == RATE and m.group == "district"]
    assert missing and missing[0].units == (name,)
    assert name in " ".join(rep.section("not_reported").table["Chưa báo cáo"])


def test_deadlines_passed_list_the_late_units(cur):
    rep = R.build_report(cur, "2024-W16", province="49")
    keys = {d.key: d for d in rep.deadlines}
    assert set(keys) == {"steering", "appraisal"} and {d.state for d in rep.deadlines} == {"passed"}
    late_sql = cur.execute(
        """WITH a AS (SELECT unit_code, min(period_end) FILTER (WHERE value = 1) AS first_yes
                      FROM indicator_values WHERE indicator_code = 'steering_committee_formed' GROUP BY 1)
           SELECT count(*) FROM a WHERE first_yes IS NULL OR first_yes > DATE '2022-05-10'"""
    ).fetchone()[0]
    assert len(keys["steering"].late) == late_sql
    overdue = cur.execute(
        """SELECT count(DISTINCT unit_code) FROM indicator_values WHERE indicator_code = 'it_projects'
           AND breakdown IN ('status:under_appraisal', 'status:awaiting_policy') AND value > 0"""
    ).fetchone()[0]
    assert len(keys["appraisal"].late) == overdue


def test_a_deadline_in_the_report_week_is_due_this_week_and_later_ones_are_not_listed(cur):
    rep = R.build_report(cur, "2022-W19", province="49")  # 09/05–15/05/2022 contains 10/05/2022
    assert [(d.key, d.state) for d in rep.deadlines] == [("steering", "this_week")]
    assert R.build_report(cur, "2022-W10", province="49").deadlines == ()


def test_a_deadline_later_in_the_current_week_has_no_late_units_yet(cur):
    """Lateness is judged at the week's end, or today when the week is not over."""
    not_formed = cur.execute(
        """WITH a AS (SELECT unit_code, min(period_end) FILTER (WHERE value = 1) AS first_yes
                      FROM indicator_values WHERE indicator_code = 'steering_committee_formed' GROUP BY 1)
           SELECT count(*) FROM a WHERE first_yes IS NULL OR first_yes > DATE '2022-05-11'""").fetchone()[0]
    assert not_formed > 0  # units that are late once the day has passed
    monday = R.build_report(cur, "2022-W19", province="49", today=date(2022, 5, 9))  # the deadline is on Tuesday 10/05
    (steering,) = monday.deadlines
    assert steering.state == "this_week" and steering.not_yet and steering.late == ()
    table = next(s.table for s in monday.sections if s.key == "deadlines")
    assert list(table["Đơn vị trễ hạn"]) == ["Chưa đến hạn"]
    wednesday = R.build_report(cur, "2022-W19", province="49", today=date(2022, 5, 11))
    (steering,) = wednesday.deadlines
    assert not steering.not_yet and len(steering.late) > 0
    later = R.build_report(cur, "2022-W19", province="49")  # read years afterwards: judged at the week's end, the same list
    assert later.deadlines == wednesday.deadlines


def test_every_section_carries_the_source_and_as_of(cur):
    rep = R.build_report(cur, "2024-W16", province="49")
    assert rep.source == "Nguồn: kho dữ liệu chỉ tiêu CĐS, số liệu minh họa; dữ liệu đến ngày 21/04/2024"
    assert [s.key for s in rep.sections] == list(R.SECTION_KEYS)
    assert all(s.notes for s in rep.sections)


def test_a_week_after_the_data_ends_says_no_newer_figure(cur):
    # the last week of Quảng Nam (newer weeks have Đà Nẵng's data, so a newer as-of date)
    rep = R.build_report(cur, "2025-W26", province="49")
    assert rep.title == "Báo cáo tuần — Tỉnh Quảng Nam — Tuần 26/2025 (23/06–29/06/2025)"
    assert rep.as_of == date(2024, 12, 31)
    rate = next(r for r in rep.headline if r.code == RATE)
    assert rate.current.period == Period.month(2024, 12) and rate.change(rate.compare) == 0


def test_english_report_uses_english_names_and_formats(cur):
    rep = R.build_report(cur, "2024-W26", province="49", lang="en")
    assert rep.title.startswith("Weekly report — Quang Nam Province — Week 26, 2024")
    assert rep.source.startswith("Source:")
    expected = fmt_percent(province_rate_sql(cur, "month", date(2024, 6, 1)), 2, "en")
    assert expected in rep.section("headline").table.to_string()


# --- the page --------------------------------------------------------------------------

def _page_text(at) -> str:
    parts = [e.value for e in [*at.markdown, *at.caption, *at.warning, *at.info] if isinstance(e.value, str)]
    parts += [str(getattr(h, "proto", "")) for h in at.get("html")]
    return "\n".join(parts)


@pytest.mark.parametrize(("lang", "title", "week_label", "figure_lang"), [
    ("vi", "Báo cáo tuần", "Tuần 16/2024 (15/04–21/04/2024)", "vi"),
    ("en", "Weekly report", "Week 16, 2024 (15/04–21/04/2024)", "en"),
])
def test_report_page_shows_the_week_and_the_known_figure(sample_app, sample_db, lang, title, week_label,
                                                         figure_lang):
    cur = sample_cursor(sample_db)
    weekly = cur.execute(
        f"""SELECT 100.0 * sum(numerator) / sum(denominator)
            FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
            WHERE iv.indicator_code = ? AND iv.period_kind = 'week' AND iv.period_start = DATE '2024-04-15'
              AND u.parent = '49' AND u.kind IN {CHILD_KINDS}""", [RATE]).fetchone()[0]
    cur.close()
    at = sample_app("views/report.py", lang=lang, week="2024-W16", province="49")
    assert not at.exception
    assert at.title[0].value == title
    assert at.selectbox(key="url__week").value == "2024-W16"
    assert at.selectbox(key="url__compare").value == "2024-W15"
    text = _page_text(at)
    assert week_label in text
    assert fmt_percent(weekly, 2, figure_lang) in text
    assert ("Nguồn: kho dữ liệu chỉ tiêu CĐS" if lang == "vi" else "Source: DX indicator warehouse") in text


def test_report_page_defaults_to_the_week_of_the_as_of_date(sample_app):
    at = sample_app("views/report.py")
    assert at.selectbox(key="url__week").value == "2026-W40"  # the sample ends on 30/09/2026
    assert at.query_params["week"] == ["2026-W40"] or at.query_params["week"] == "2026-W40"
