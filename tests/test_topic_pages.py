"""The topic pages (databases, steering committees, IT projects, online services) in AppTest.

Each page runs on the sample warehouse in both languages; the expected figures
are computed here with plain SQL on ``indicator_values`` (not with the pages' own
query functions) and compared with the metrics on screen.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dashboard.formatting import fmt_number, fmt_percent
from etl.warehouse import Warehouse
from tests.conftest import sample_cursor

LANGS = ("vi", "en")
NO_DATA = {"vi": "Không có dữ liệu", "en": "No data"}
APP = str(Path(__file__).resolve().parent.parent / "app.py")


def metric_values(at) -> list[str]:
    return [m.value for m in at.metric]


def metric(at, label_part: str) -> str:
    """The value of the one metric whose label contains ``label_part``."""
    found = [m.value for m in at.metric if label_part in m.label]
    assert len(found) == 1, (label_part, [(m.label, m.value) for m in at.metric])
    return found[0]


def page_texts(at) -> str:
    parts = [e.value for e in [*at.markdown, *at.info, *at.caption, *at.warning, *at.success]
             if isinstance(e.value, str)]
    return "\n".join(parts + [m.value for m in at.metric])


# --- specialised databases ------------------------------------------------------------

def _databases_april_2022(sample_db) -> dict[str, float]:
    cur = sample_cursor(sample_db)
    rows = cur.execute(
        """SELECT breakdown, sum(value) FROM indicator_values
           WHERE indicator_code = 'specialised_db_operational' AND unit_code = '49'
             AND period_kind = 'month' AND period_start = DATE '2022-04-01'
           GROUP BY breakdown"""
    ).fetchall()
    cur.close()
    by = dict(rows)
    return {"total": sum(by.values()), "central": by["owner:central"], "provincial": by["owner:provincial"]}


@pytest.mark.parametrize("lang", LANGS)
def test_databases_page_shows_total_and_owner_split_for_april_2022(sample_app, sample_db, lang):
    expected = _databases_april_2022(sample_db)
    assert (expected["total"], expected["central"], expected["provincial"]) == (141, 49, 92)  # seed facts
    at = sample_app("views/databases.py", lang=lang, period="2022-04", province="49")
    labels = {"vi": ("Tổng số CSDL", "Trung ương", "Do Tỉnh"), "en": ("in operation", "central", "by the province")}
    for key, label in zip(("total", "central", "provincial"), labels[lang]):
        assert metric(at, label) == fmt_number(expected[key], 0, lang)
    assert metric(at, labels[lang][0]) == "141"
    month = "Tháng 4/2022" if lang == "vi" else "April 2022"
    assert all(month in m.label for m in at.metric[:3])
    assert len(at.get("plotly_chart")) == 3  # owners, progress by department, monthly progress


def test_databases_page_defaults_to_the_latest_month(sample_app, sample_db):
    cur = sample_cursor(sample_db)
    total = cur.execute(
        """SELECT sum(value) FROM indicator_values
           WHERE indicator_code = 'specialised_db_operational' AND unit_code = '49'
             AND period_end = (SELECT max(period_end) FROM indicator_values
                               WHERE indicator_code = 'specialised_db_operational' AND unit_code = '49')"""
    ).fetchone()[0]
    cur.close()
    at = sample_app("views/databases.py", province="49")
    assert at.query_params["period"] == ["2024-12"] or at.query_params["period"] == "2024-12"
    assert metric(at, "Tổng số CSDL") == fmt_number(total, 0, "vi")


def test_databases_progress_counts_departments_at_100_percent(sample_app, sample_db):
    cur = sample_cursor(sample_db)
    done, reported = cur.execute(
        """SELECT count(*) FILTER (WHERE value >= 100), count(*) FROM indicator_values
           WHERE indicator_code = 'specialised_db_progress' AND period_kind = 'month'
             AND period_end = (SELECT max(period_end) FROM indicator_values
                               WHERE indicator_code = 'specialised_db_progress')"""
    ).fetchone()
    cur.close()
    at = sample_app("views/databases.py", lang="en", province="49")
    assert metric(at, "at 100%") == f"{done}/{reported}"


# --- steering committees --------------------------------------------------------------

def _formed_at(sample_db, day: date, kinds: tuple[str, ...]) -> tuple[int, int]:
    cur = sample_cursor(sample_db)
    placeholders = ", ".join("?" for _ in kinds)
    formed = cur.execute(
        f"""SELECT count(*) FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
            WHERE iv.indicator_code = 'steering_committee_formed' AND iv.period_end = ?
              AND iv.value = 1 AND u.kind IN ({placeholders})""",
        [day, *kinds],
    ).fetchone()[0]
    existing = cur.execute(
        f"""SELECT count(*) FROM units WHERE parent = '49' AND kind IN ({placeholders})
            AND (valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to >= ?)""",
        [*kinds, day, day],
    ).fetchone()[0]
    cur.close()
    return formed, existing


@pytest.mark.parametrize("lang", LANGS)
def test_steering_page_shows_districts_and_departments_formed_on_30_april_2022(sample_app, sample_db, lang):
    day = date(2022, 4, 30)
    districts = _formed_at(sample_db, day, ("city", "town", "district"))
    departments = _formed_at(sample_db, day, ("department",))
    assert districts == (16, 18) and departments == (7, 20)  # seed facts
    at = sample_app("views/steering.py", lang=lang, period="2022-04-30", province="49")
    values = metric_values(at)
    district_text = {"vi": "huyện", "en": "districts"}[lang]
    department_text = {"vi": "sở, ngành", "en": "departments"}[lang]
    share = fmt_percent(100 * 16 / 18, 2, lang)
    assert f"{districts[0]}/{districts[1]} {district_text} ({share})" in values
    assert f"{departments[0]}/{departments[1]} {department_text} ({fmt_percent(35, 0, lang)})" in values
    assert {"vi": "16/18 huyện (88,89%)", "en": "16/18 districts (88.89%)"}[lang] in values
    assert len(at.get("plotly_chart")) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_steering_page_lists_units_late_against_the_deadline(sample_app, sample_db, lang):
    cur = sample_cursor(sample_db)
    # existing units with no "yes" on or before 10/05/2022
    late = cur.execute(
        """SELECT u.name_vi, u.name_en FROM units u
           WHERE u.parent = '49' AND u.kind IN ('city', 'town', 'district', 'department')
             AND (u.valid_from IS NULL OR u.valid_from <= DATE '2022-05-10')
             AND (u.valid_to IS NULL OR u.valid_to >= DATE '2022-05-10')
             AND NOT EXISTS (SELECT 1 FROM indicator_values iv
                             WHERE iv.indicator_code = 'steering_committee_formed' AND iv.unit_code = u.code
                               AND iv.value = 1 AND iv.period_end <= DATE '2022-05-10')
           ORDER BY 1"""
    ).fetchall()
    cur.close()
    assert late, "the sample has units that missed the deadline"
    at = sample_app("views/steering.py", lang=lang, province="49")
    warning = "\n".join(w.value for w in at.warning)
    for name_vi, name_en in late:
        assert (name_vi if lang == "vi" else name_en) in warning
    table = at.dataframe[0].value
    status_col = table.columns[-1]
    overdue = {"vi": "Chưa thành lập, quá hạn", "en": "Not formed, overdue"}[lang]
    assert (table[status_col] == overdue).sum() == len(late)
    # formation dates are dd/mm/yyyy
    assert "30/04/2022" in set(table[table.columns[2]])


# --- IT projects ----------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_projects_page_shows_pipeline_on_11_march_2024(sample_app, sample_db, lang):
    cur = sample_cursor(sample_db)
    by_status = dict(cur.execute(
        """SELECT breakdown, sum(value) FROM indicator_values
           WHERE indicator_code = 'it_projects' AND period_end = DATE '2024-03-11' AND breakdown <> ''
           GROUP BY breakdown"""
    ).fetchall())
    cur.close()
    assert by_status == {"status:appraised": 4, "status:under_appraisal": 7, "status:awaiting_policy": 6}
    at = sample_app("views/projects.py", lang=lang, period="2024-03-11", province="49")
    labels = {
        "vi": {"status:appraised": "Đã thẩm định", "status:under_appraisal": "Đang thẩm định",
               "status:awaiting_policy": "Chờ phê duyệt chủ trương"},
        "en": {"status:appraised": "Appraised", "status:under_appraisal": "Under appraisal",
               "status:awaiting_policy": "Awaiting policy approval"},
    }[lang]
    metrics = {m.label: m.value for m in at.metric}
    for status, count in by_status.items():
        assert metrics[labels[status]] == fmt_number(count, 0, lang)
    total_label = "Tổng số dự án" if lang == "vi" else "Projects and tasks"
    assert metric(at, total_label) == fmt_number(sum(by_status.values()), 0, lang) == "17"
    assert len(at.get("plotly_chart")) == 2


@pytest.mark.parametrize("lang", LANGS)
def test_projects_page_flags_departments_overdue_for_appraisal(sample_app, sample_db, lang):
    cur = sample_cursor(sample_db)
    overdue = cur.execute(
        """SELECT u.name_vi, u.name_en, sum(iv.value) FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
           WHERE iv.indicator_code = 'it_projects' AND iv.period_end = DATE '2024-03-11'
             AND iv.breakdown IN ('status:under_appraisal', 'status:awaiting_policy') AND iv.value > 0
           GROUP BY ALL"""
    ).fetchall()
    cur.close()
    at = sample_app("views/projects.py", lang=lang, province="49")
    table = at.dataframe[0].value
    names = set(table[table.columns[0]])
    assert names == {(vi if lang == "vi" else en) for vi, en, _ in overdue}
    flag = {"vi": "quá hạn thẩm định", "en": "overdue for appraisal"}[lang]
    assert set(table[table.columns[-1]]) == {flag}
    totals = dict(zip(table[table.columns[0]], table[table.columns[3]]))
    for vi, en, total in overdue:
        assert totals[vi if lang == "vi" else en] == fmt_number(total, 0, lang)


def test_appraisal_deadline_is_the_one_from_the_6_march_2023_meeting():
    from dashboard.topic_queries import APPRAISAL_DEADLINE

    assert APPRAISAL_DEADLINE == date(2023, 3, 22)


# --- online public services -----------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_online_services_page_shows_services_in_april_2022(sample_app, sample_db, lang):
    cur = sample_cursor(sample_db)
    services, portal = cur.execute(
        """SELECT max(value) FILTER (WHERE indicator_code = 'online_services'),
                  max(value) FILTER (WHERE indicator_code = 'services_on_national_portal')
           FROM indicator_values WHERE unit_code = '49' AND period_kind = 'month'
             AND period_start = DATE '2022-04-01'"""
    ).fetchone()
    cur.close()
    at = sample_app("views/online_services.py", lang=lang, period="2022-04", province="49")
    label = "Dịch vụ công trực tuyến" if lang == "vi" else "Online public services"
    assert metric(at, label) == fmt_number(services, 0, lang) == {"vi": "1.470", "en": "1,470"}[lang]
    portal_label = "Cổng DVC" if lang == "vi" else "National Public Service Portal"
    assert metric(at, portal_label) == fmt_number(portal, 0, lang)
    # full-process services only exist from mid-2022: no data, never 0
    full_label = "toàn trình" if lang == "vi" else "full-process"
    assert metric(at, full_label) == NO_DATA[lang]
    assert len(at.get("plotly_chart")) == 2


@pytest.mark.parametrize("lang", LANGS)
def test_online_dossier_rate_for_february_march_2022_is_a_ratio_of_sums(sample_app, sample_db, lang):
    cur = sample_cursor(sample_db)
    rate = cur.execute(
        """SELECT 100.0 * sum(numerator) / sum(denominator)
           FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
           WHERE iv.indicator_code = 'online_dossier_rate' AND iv.period_kind = 'range'
             AND iv.period_start = DATE '2022-02-01' AND iv.period_end = DATE '2022-03-31'
             AND u.parent = '49'"""
    ).fetchone()[0]
    cur.close()
    at = sample_app("views/online_services.py", lang=lang, period="2022-02-01..2022-03-31", province="49")
    label = "Tỷ lệ hồ sơ trực tuyến" if lang == "vi" else "Dossiers submitted online"
    assert metric(at, label) == fmt_percent(rate, 2, lang) == {"vi": "23,08%", "en": "23.08%"}[lang]


def test_online_services_chart_marks_the_decree_42_series_break(sample_app):
    import json

    at = sample_app("views/online_services.py", lang="en", province="49")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    texts = [a.get("text", "") for a in spec["layout"].get("annotations", [])]
    assert "Decree 42/2022: levels 3–4 → partial / full-process" in texts
    assert any(s.get("x0", "").startswith("2022-07-01") for s in spec["layout"].get("shapes", []))


# --- empty warehouse ------------------------------------------------------------------

PAGES = ("views/databases.py", "views/steering.py", "views/projects.py", "views/online_services.py")


@pytest.mark.parametrize("lang", LANGS)
def test_topic_pages_say_no_data_on_an_empty_warehouse(tmp_path, monkeypatch, lang):
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "empty.duckdb"
    Warehouse(path).close()  # an existing empty file: no samples are loaded into it
    monkeypatch.setenv("DX_WAREHOUSE", str(path))
    for page in PAGES:
        at = AppTest.from_file(APP, default_timeout=60)
        if lang == "en":
            at.query_params["lang"] = "en"
        at.run()
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, at.exception)
        assert not at.error, page
        assert not at.warning, (page, [w.value for w in at.warning])  # no failed query either
        assert NO_DATA[lang] in page_texts(at), page
        assert "0" not in metric_values(at), page


@pytest.mark.parametrize("page", PAGES)
def test_topic_pages_ignore_an_unknown_period_in_the_url(sample_app, page):
    at = sample_app(page, period="1999-01", province="49")
    assert not at.error
    assert at.metric  # falls back to the default period
