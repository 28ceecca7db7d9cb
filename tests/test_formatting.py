"""Vietnamese and English number, percent and date formats, with literal expectations."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from dashboard.formatting import (
    fmt_date,
    fmt_fraction,
    fmt_number,
    fmt_percent,
    fmt_value,
    hover_number_format,
    hover_value,
    no_data,
    plotly_separators,
)

MISSING = [None, float("nan"), math.nan, pd.NA, pd.NaT]


@pytest.mark.parametrize(
    ("x", "decimals", "lang", "expected"),
    [
        (1470, 0, "vi", "1.470"),
        (1470, 0, "en", "1,470"),
        (355, 0, "vi", "355"),
        (1234567.891, 2, "vi", "1.234.567,89"),
        (1234567.891, 2, "en", "1,234,567.89"),
        (23.08, 2, "vi", "23,08"),
        (0, 0, "vi", "0"),
        (-0.001, 0, "vi", "0"),
        (-1500, 0, "vi", "-1.500"),
        (2.5, 0, "vi", "2"),  # Python rounds half to even
    ],
)
def test_fmt_number_groups_thousands_by_language(x, decimals, lang, expected):
    assert fmt_number(x, decimals, lang) == expected


@pytest.mark.parametrize(
    ("x", "lang", "expected"),
    [(23.08, "vi", "23,08%"), (23.08, "en", "23.08%"), (100, "vi", "100,00%"), (0, "vi", "0,00%")],
)
def test_fmt_percent_takes_values_in_percent(x, lang, expected):
    assert fmt_percent(x, lang=lang) == expected


def test_fmt_percent_with_fewer_decimals():
    assert fmt_percent(88.888, 1, "vi") == "88,9%"


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (dt.date(2022, 3, 31), "31/03/2022"),
        (dt.datetime(2024, 1, 5, 13, 45), "05/01/2024"),
        (pd.Timestamp("2022-02-01"), "01/02/2022"),
        ("2022-04-30", "30/04/2022"),
    ],
)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_fmt_date_is_day_month_year_in_both_languages(d, expected, lang):
    assert fmt_date(d, lang) == expected


@pytest.mark.parametrize(
    ("num", "den", "lang", "expected"),
    [
        (16, 18, "vi", "16/18 (88,89%)"),
        (16, 18, "en", "16/18 (88.89%)"),
        (7, 20, "vi", "7/20 (35,00%)"),
        (1470, 2000, "vi", "1.470/2.000 (73,50%)"),
        (11, 14, "en", "11/14 (78.57%)"),
    ],
)
def test_fmt_fraction_shows_parts_and_share(num, den, lang, expected):
    assert fmt_fraction(num, den, lang) == expected


@pytest.mark.parametrize(
    ("x", "unit", "lang", "expected"),
    [
        (1470, "count", "vi", "1.470"),
        (1470.0, "count", "en", "1,470"),
        (12.5, "count", "vi", "12,50"),
        (23.08, "percent", "vi", "23,08%"),
        (1, "yesno", "vi", "Có"),
        (0, "yesno", "vi", "Không"),
        (1, "yesno", "en", "Yes"),
        (0, "yesno", "en", "No"),
        (7.456, "score", "vi", "7,46"),
    ],
)
def test_fmt_value_dispatches_by_unit(x, unit, lang, expected):
    assert fmt_value(x, unit, lang) == expected


def test_fmt_value_rejects_an_unknown_unit():
    with pytest.raises(ValueError, match="unknown unit"):
        fmt_value(1, "kg", "vi")


@pytest.mark.parametrize("x", MISSING)
@pytest.mark.parametrize(("lang", "text"), [("vi", "Không có dữ liệu"), ("en", "No data")])
def test_missing_values_say_no_data_never_zero(x, lang, text):
    assert no_data(lang) == text
    assert fmt_number(x, lang=lang) == text
    assert fmt_percent(x, lang=lang) == text
    assert fmt_date(x, lang) == text
    assert fmt_fraction(x, 18, lang) == text
    assert fmt_fraction(16, x, lang) == text
    for unit in ("count", "percent", "yesno", "score"):
        assert fmt_value(x, unit, lang) == text


def test_zero_denominator_is_no_data():
    assert fmt_fraction(0, 0, "vi") == "Không có dữ liệu"


def test_infinite_number_is_no_data():
    assert fmt_number(float("inf"), lang="en") == "No data"


@pytest.mark.parametrize(("lang", "expected"), [("vi", ",."), ("en", ".,")])
def test_plotly_separators_put_decimal_mark_first(lang, expected):
    assert plotly_separators(lang) == expected


@pytest.mark.parametrize(
    ("unit", "fmt", "template"),
    [
        ("count", ",.0f", "%{y:,.0f}"),
        ("percent", ",.2f", "%{y:,.2f}%"),
        ("yesno", ",.0f", "%{y:,.0f}"),
        ("score", ",.2f", "%{y:,.2f}"),
    ],
)
def test_hover_formats_by_unit(unit, fmt, template):
    assert hover_number_format(unit) == fmt
    assert hover_value(unit) == template


def test_hover_value_names_another_field():
    assert hover_value("percent", "x") == "%{x:,.2f}%"
