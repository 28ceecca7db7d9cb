"""Overview page: headline cards, status table and units behind, checked against SQL.

Expected figures are computed here directly on the warehouse's `indicator_values`
view, not with the page's own query functions.
"""

from __future__ import annotations

import pytest

from dashboard import overview_queries as oq
from etl.warehouse import Warehouse
from tests.conftest import sample_cursor

CHILD_KINDS = "('city', 'town', 'district', 'department')"


def _fmt(x: float, lang: str) -> str:
    text = f"{x:,.2f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".") if lang == "vi" else text


def _latest_online_rate(cur) -> float:
    """100 * sum(numerator) / sum(denominator) over the units' rows, latest month."""
    return cur.execute(
        f"""SELECT 100.0 * sum(iv.numerator) / sum(iv.denominator)
            FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
            WHERE iv.indicator_code = 'online_dossier_rate' AND iv.period_kind = 'month'
              AND iv.breakdown = '' AND u.parent = '49' AND u.kind IN {CHILD_KINDS}
            GROUP BY iv.period_start ORDER BY iv.period_start DESC LIMIT 1"""
    ).fetchone()[0]


def _name(cur, code: str, lang: str) -> str:
    return cur.execute(f"SELECT name_{lang} FROM indicators WHERE code = ?", [code]).fetchone()[0]


def _metric(at, label: str):
    found = [m for m in at.metric if m.label == label]
    assert found, [m.label for m in at.metric]
    return found[0]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_headline_card_shows_latest_province_online_rate_as_ratio_of_sums(sample_app, sample_db, lang):
    cur = sample_cursor(sample_db)
    expected = _fmt(_latest_online_rate(cur), lang) + "%"
    at = sample_app("views/overview.py", lang=lang, province="49")
    card = _metric(at, _name(cur, "online_dossier_rate", lang))
    assert card.value == expected
    assert at.title[0].value == ("Tổng quan" if lang == "vi" else "Overview")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_steering_card_is_a_fraction_of_units_that_existed(sample_app, sample_db, lang):
    cur = sample_cursor(sample_db)
    day, yes = cur.execute(
        f"""SELECT iv.period_end, count(*) FILTER (WHERE iv.value = 1)
            FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
            WHERE iv.indicator_code = 'steering_committee_formed' AND u.parent = '49'
              AND u.kind IN {CHILD_KINDS}
            GROUP BY 1 ORDER BY 1 DESC LIMIT 1"""
    ).fetchone()
    expected_units = cur.execute(
        f"""SELECT count(*) FROM units WHERE parent = '49' AND kind IN {CHILD_KINDS}
            AND (valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to >= ?)""",
        [day, day],
    ).fetchone()[0]
    at = sample_app("views/overview.py", lang=lang, province="49")
    card = _metric(at, _name(cur, "steering_committee_formed", lang))
    assert card.value == f"{yes}/{expected_units} ({_fmt(100 * yes / expected_units, lang)}%)"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_status_table_has_one_row_per_indicator(sample_app, sample_db, lang):
    cur = sample_cursor(sample_db)
    n = cur.execute("SELECT count(*) FROM indicators").fetchone()[0]
    at = sample_app("views/overview.py", lang=lang, province="49")
    table = at.dataframe[0].value
    assert len(table) == n
    status_col = "Tình trạng" if lang == "vi" else "Status"
    name = _name(cur, "online_dossier_rate", lang)
    row = table[table.iloc[:, 0] == name].iloc[0]
    # 57.57% against a target of 80%: below 80% of the target
    rate = _latest_online_rate(cur)
    expected = "behind" if rate < 64 else ("at_risk" if rate < 80 else "on_track")
    words = {"vi": {"behind": "Chậm tiến độ", "at_risk": "Có nguy cơ chậm", "on_track": "Đạt tiến độ"},
             "en": {"behind": "Behind", "at_risk": "At risk", "on_track": "On track"}}
    assert row[status_col] == words[lang][expected]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_units_furthest_behind_starts_with_the_lowest_unit(sample_app, sample_db, lang):
    cur = sample_cursor(sample_db)
    name, rate = cur.execute(
        f"""WITH latest AS (SELECT max(period_start) AS d FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
                            WHERE indicator_code = 'online_dossier_rate' AND period_kind = 'month'
                              AND u.parent = '49')
            SELECT u.name_{lang}, 100.0 * iv.numerator / iv.denominator AS r
            FROM indicator_values iv JOIN units u ON u.code = iv.unit_code, latest
            WHERE iv.indicator_code = 'online_dossier_rate' AND iv.period_kind = 'month'
              AND iv.period_start = latest.d AND iv.breakdown = '' AND u.parent = '49'
            ORDER BY r LIMIT 1"""
    ).fetchone()
    at = sample_app("views/overview.py", lang=lang, province="49")
    tables = [d.value for d in at.dataframe[1:]]
    first_rows = [(tb.iloc[0, 0], tb.iloc[0, 1]) for tb in tables]
    assert (name, _fmt(rate, lang) + "%") in first_rows
    assert all(len(tb) <= 5 for tb in tables)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_empty_warehouse_says_no_data_without_errors(tmp_path, monkeypatch, lang):
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "empty.duckdb"
    Warehouse(path).close()  # an existing (empty) file: open_warehouse loads no samples into it
    monkeypatch.setenv("DX_WAREHOUSE", str(path))
    for page in ("views/overview.py", "views/indicator.py"):
        at = AppTest.from_file("../app.py", default_timeout=60)
        if lang == "en":
            at.query_params["lang"] = "en"
        at.run()
        at.switch_page(page)
        at.run()
        assert not at.exception, at.exception
        assert not at.error
        no_data = "Không có dữ liệu" if lang == "vi" else "No data"
        texts = [e.value for e in [*at.markdown, *at.info, *at.caption] if isinstance(e.value, str)]
        texts += [str(m.value) for m in at.metric]
        texts += [tb.value.to_string() for tb in at.dataframe]
        assert any(no_data in x for x in texts), texts
        assert not any(m.value in ("0", "0%", "0,00%", "0.00%") for m in at.metric)


@pytest.mark.parametrize(
    ("value", "target", "previous", "direction", "expected"),
    [
        (80, 80, None, "up", "on_track"),
        (95, 80, None, "up", "on_track"),
        (64, 80, None, "up", "at_risk"),
        (63.99, 80, None, "up", "behind"),
        (10, 10, None, "down", "on_track"),
        (12, 10, None, "down", "at_risk"),
        (12.01, 10, None, "down", "behind"),
        (50, None, 50, "up", "on_track"),
        (95, None, 100, "up", "at_risk"),
        (94.9, None, 100, "up", "behind"),
        (105, None, 100, "down", "at_risk"),
        (106, None, 100, "down", "behind"),
        (90, None, 100, "down", "on_track"),
        (5, None, 0, "down", "behind"),
        (5, None, None, "up", "no_status"),
        (5, 10, 3, "neutral", "no_status"),
        (None, 80, 70, "up", "no_data"),
        (float("nan"), None, None, "up", "no_data"),
    ],
)
def test_status_rule(value, target, previous, direction, expected):
    assert oq.status_of(value, target, previous, direction) == expected


def test_indicator_latest_has_no_zero_for_an_indicator_without_data(sample_db):
    cur = sample_cursor(sample_db)
    frame = oq.indicator_latest(cur, province="49")
    progress = frame[frame["code"] == "specialised_db_progress"].iloc[0]
    # a `latest` indicator with no province row has no province value: no data, not 0
    assert progress["value"] != progress["value"]
    assert progress["status"] == "no_data"
