"""Indicator detail page, checked against SQL on the sample warehouse (both languages)."""

from __future__ import annotations

import pytest

from tests.conftest import sample_cursor

CHILD_KINDS = "('city', 'town', 'district', 'department')"


def _fmt(x: float, lang: str, decimals: int = 2) -> str:
    text = f"{x:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".") if lang == "vi" else text


def _all_cells(at) -> str:
    return "\n".join(d.value.to_string() for d in at.dataframe)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_range_report_figure_is_in_the_tables(sample_app, sample_db, lang):
    cur = sample_cursor(sample_db)
    rate = cur.execute(
        f"""SELECT 100.0 * sum(iv.numerator) / sum(iv.denominator)
            FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
            WHERE iv.indicator_code = 'online_dossier_rate' AND iv.period_kind = 'range'
              AND iv.period_start = DATE '2022-02-01' AND iv.period_end = DATE '2022-03-31'
              AND iv.breakdown = '' AND u.parent = '49' AND u.kind IN {CHILD_KINDS}"""
    ).fetchone()[0]
    assert _fmt(rate, lang) == ("23,08" if lang == "vi" else "23.08")  # the sample fixes this fact
    at = sample_app("views/indicator.py", lang=lang, indicator="online_dossier_rate", province="49")
    assert at.title[0].value == ("Chi tiết chỉ tiêu" if lang == "vi" else "Indicator detail")
    cells = _all_cells(at)
    assert _fmt(rate, lang) + "%" in cells
    assert "01/02/2022–31/03/2022" in cells


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_month_table_has_latest_rate_with_numerator_and_denominator(sample_app, sample_db, lang):
    cur = sample_cursor(sample_db)
    num, den = cur.execute(
        f"""SELECT sum(iv.numerator), sum(iv.denominator)
            FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
            WHERE iv.indicator_code = 'online_dossier_rate' AND iv.period_kind = 'month'
              AND iv.breakdown = '' AND u.parent = '49' AND u.kind IN {CHILD_KINDS}
            GROUP BY iv.period_start ORDER BY iv.period_start DESC LIMIT 1"""
    ).fetchone()
    at = sample_app("views/indicator.py", lang=lang, indicator="online_dossier_rate", province="49")
    top = at.dataframe[0].value.iloc[0]
    assert top.iloc[0] == ("Tháng 12/2024" if lang == "vi" else "December 2024")
    assert top.iloc[1] == _fmt(100 * num / den, lang) + "%"
    assert top.iloc[2] == _fmt(num, lang, 0)
    assert top.iloc[3] == _fmt(den, lang, 0)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_definition_target_and_aggregation_are_shown(sample_app, sample_db, lang):
    cur = sample_cursor(sample_db)
    definition, source = cur.execute(
        f"SELECT definition_{lang}, source FROM indicators WHERE code = 'online_dossier_rate'"
    ).fetchone()
    at = sample_app("views/indicator.py", lang=lang, indicator="online_dossier_rate", province="49")
    text = "\n".join(m.value for m in at.markdown)
    assert definition in text
    assert source in text
    assert ("80,00% đến năm 2025" if lang == "vi" else "80.00% by 2025") in text
    assert ("Tỷ lệ của tổng" if lang == "vi" else "Ratio of sums") in text
    assert at.selectbox(key="url__indicator").value == "online_dossier_rate"


def test_units_from_url_get_their_own_series_and_rows(sample_app, sample_db):
    cur = sample_cursor(sample_db)
    num, den = cur.execute(
        """SELECT numerator, denominator FROM indicator_values
           WHERE indicator_code = 'online_dossier_rate' AND unit_code = '502' AND period_kind = 'month'
             AND breakdown = '' ORDER BY period_start DESC LIMIT 1"""
    ).fetchone()
    at = sample_app("views/indicator.py", lang="vi", indicator="online_dossier_rate", units="502", province="49")
    assert at.multiselect(key="url__units").value == ["502"]
    units_table = next(d.value for d in at.dataframe if "Đơn vị" in d.value.columns)
    last = units_table.iloc[-1]
    assert last["Đơn vị"] == "Thành phố Tam Kỳ"
    assert last["Giá trị (%)"] == _fmt(100 * num / den, "vi") + "%"


def test_online_services_has_no_numerator_zeros_and_csv_xlsx_downloads(sample_app):
    at = sample_app("views/indicator.py", lang="en", indicator="online_services", province="49")
    table = at.dataframe[0].value
    assert (table["Numerator"] == "No data").all()
    labels = [b.label for b in at.get("download_button")]
    assert {"Download CSV", "Download Excel (XLSX)"} <= set(labels)
