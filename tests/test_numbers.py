"""Tests for etl.numbers: numbers, yes/no answers and dates typed by hand."""

import math
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.numbers import DateError, NumberError, format_number, parse_date, parse_number, parse_yesno

# --- parse_number ------------------------------------------------------------------


@pytest.mark.parametrize("raw", [None, "", "  ", "-", "–", "—", "..", float("nan")])
def test_parse_number_reads_empty_markers_as_none(raw):
    assert parse_number(raw) == (None, None)


@pytest.mark.parametrize(("raw", "expected"), [(1470, 1470.0), (23.08, 23.08), (0, 0.0), (-5, -5.0)])
def test_parse_number_returns_excel_numbers_as_floats(raw, expected):
    value, decision = parse_number(raw, "percent")
    assert (value, decision) == (expected, None)
    assert isinstance(value, float)


@pytest.mark.parametrize("raw", [True, False])
def test_parse_number_rejects_booleans(raw):
    with pytest.raises(NumberError):
        parse_number(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1.470", 1470.0), ("1.204.000", 1204000.0), ("846", 846.0), ("1 470", 1470.0), ("1\u00a0470", 1470.0), (" 12 ", 12.0)],
)
def test_parse_number_reads_vietnamese_thousands_in_counts(raw, expected):
    assert parse_number(raw, "count") == (expected, None)


@pytest.mark.parametrize(("raw", "unit", "expected"), [("23,08", "percent", 23.08), ("4,5", "score", 4.5), ("0,5", "count", 0.5)])
def test_parse_number_reads_a_comma_as_vietnamese_decimal(raw, unit, expected):
    assert parse_number(raw, unit) == (expected, None)


@pytest.mark.parametrize(("raw", "expected"), [("1,470", 1470.0), ("12,345,678", 12345678.0)])
def test_parse_number_reads_english_thousands_in_counts_and_says_so(raw, expected):
    assert parse_number(raw, "count") == (expected, "comma read as thousands separator")


def test_parse_number_reads_a_grouped_comma_as_decimal_for_percents():
    assert parse_number("1,470", "percent") == (1.47, None)


@pytest.mark.parametrize(("raw", "unit", "expected"), [("82.8", "percent", 82.8), ("82.8", "count", 82.8), ("4.25", "score", 4.25)])
def test_parse_number_reads_a_lone_dot_as_decimal_point_and_says_so(raw, unit, expected):
    assert parse_number(raw, unit) == (expected, "dot read as decimal point")


def test_parse_number_reads_a_three_digit_dot_group_as_decimal_for_plausible_percents():
    assert parse_number("1.470", "percent") == (1.47, "dot read as decimal point")


def test_parse_number_reads_a_three_digit_dot_group_as_thousands_when_a_percent_would_exceed_100():
    assert parse_number("123.456", "percent") == (123456.0, "dot read as thousands separator")


def test_parse_number_reads_a_three_digit_dot_group_as_decimal_for_scores():
    assert parse_number("1.470", "score") == (1.47, "dot read as decimal point")


@pytest.mark.parametrize(
    ("raw", "unit", "expected", "decision"),
    [
        ("1.470,5", "count", 1470.5, None),
        ("1.234.567,89", "score", 1234567.89, None),
        ("1,470.5", "count", 1470.5, "comma read as thousands separator, dot as decimal point"),
    ],
)
def test_parse_number_takes_the_last_separator_as_decimal_when_both_appear(raw, unit, expected, decision):
    assert parse_number(raw, unit) == (expected, decision)


@pytest.mark.parametrize(("raw", "expected"), [("23,08%", 23.08), ("23,08 %", 23.08), ("%100", 100.0), ("82.8%", 82.8)])
def test_parse_number_accepts_a_percent_sign_for_percents(raw, expected):
    assert parse_number(raw, "percent")[0] == expected


@pytest.mark.parametrize("unit", ["count", "score"])
def test_parse_number_rejects_a_percent_sign_outside_percents(unit):
    with pytest.raises(NumberError):
        parse_number("23%", unit)


@pytest.mark.parametrize(("raw", "expected"), [("-5", -5.0), ("+5", 5.0), ("- 1.470", -1470.0), ("−3", -3.0)])
def test_parse_number_accepts_signs(raw, expected):
    assert parse_number(raw, "count")[0] == expected


def test_parse_number_returns_a_fractional_count_for_validation_to_report():
    assert parse_number("12,5", "count") == (12.5, None)


@pytest.mark.parametrize("raw", ["abc", "12a", "1.2.3", "1,2,3", "1..2", "1.47,0.5", "12,3456.7", ".5", "5.", "x", "1 2 3 . 4 ,"])
def test_parse_number_rejects_text_that_is_not_a_number(raw):
    with pytest.raises(NumberError) as info:
        parse_number(raw, "count")
    assert info.value.raw == raw
    assert "1.470" in info.value.expected


def test_number_error_is_a_value_error():
    assert issubclass(NumberError, ValueError)


@pytest.mark.parametrize(("raw", "expected"), [("x", 1.0), ("Không", 0.0), ("", None), (1, 1.0)])
def test_parse_number_reads_yesno_cells_as_one_or_zero(raw, expected):
    assert parse_number(raw, "yesno") == (expected, None)


def test_parse_number_rejects_an_unknown_unit():
    with pytest.raises(ValueError):
        parse_number("1", "kg")


# --- format_number -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "decimals", "lang", "expected"),
    [
        (1470, 0, "vi", "1.470"),
        (23.08, 2, "vi", "23,08"),
        (1234567.891, 2, "vi", "1.234.567,89"),
        (1470, 0, "en", "1,470"),
        (23.08, 2, "en", "23.08"),
        (-1470, 0, "vi", "-1.470"),
        (-23.08, 2, "en", "-23.08"),
        (0, 0, "vi", "0"),
        (-0.001, 2, "vi", "0,00"),
    ],
)
def test_format_number_uses_the_separators_of_the_language(x, decimals, lang, expected):
    assert format_number(x, decimals, lang) == expected


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["vi", "en"]))
def test_formatted_counts_parse_back_to_the_same_integer(n, lang):
    assert parse_number(format_number(n, 0, lang), "count")[0] == n


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10000))
def test_formatted_vietnamese_percents_parse_back_to_the_same_value(hundredths):
    x = hundredths / 100
    value, _ = parse_number(format_number(x, 2, "vi"), "percent")
    assert math.isclose(value, x, abs_tol=1e-9)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=20), st.text(alphabet="0123456789.,%+- x", max_size=20)), st.sampled_from(["count", "percent", "score", "yesno"]))
def test_parse_number_raises_only_number_error(raw, unit):
    try:
        value, decision = parse_number(raw, unit)
    except NumberError:
        return
    assert value is None or math.isfinite(value)
    assert decision is None or isinstance(decision, str)


# --- parse_yesno -------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["x", "X", "có", "Có", "co", "yes", "Y", "1", 1, True, "đã thành lập", "Đã thành lập", "rồi", "đã", "✓"])
def test_parse_yesno_reads_yes(raw):
    assert parse_yesno(raw) is True


@pytest.mark.parametrize("raw", ["0", 0, "không", "Không", "khong", "no", "N", "chưa", "chua", False])
def test_parse_yesno_reads_no(raw):
    assert parse_yesno(raw) is False


@pytest.mark.parametrize("raw", [None, "", " ", "-"])
def test_parse_yesno_reads_empty_as_none(raw):
    assert parse_yesno(raw) is None


@pytest.mark.parametrize("raw", ["maybe", "2", 2, "xx"])
def test_parse_yesno_rejects_other_answers(raw):
    with pytest.raises(NumberError) as info:
        parse_yesno(raw)
    assert info.value.expected == "x / có / không"


# --- parse_date --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("20/05/2022", date(2022, 5, 20)),
        ("20/5/2022", date(2022, 5, 20)),
        ("2/5/2022", date(2022, 5, 2)),
        ("20-05-2022", date(2022, 5, 20)),
        ("20.05.2022", date(2022, 5, 20)),
        ("2022-05-20", date(2022, 5, 20)),
        ("2022-05-20 00:00:00", date(2022, 5, 20)),
        ("ngày 20 tháng 5 năm 2022", date(2022, 5, 20)),
        ("NGÀY 20 THÁNG 05 NĂM 2022", date(2022, 5, 20)),
        ("ngay 20 thang 5 nam 2022", date(2022, 5, 20)),
        ("Ngày 20/5/2022", date(2022, 5, 20)),
    ],
)
def test_parse_date_reads_typed_dates(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(date(2022, 4, 30), date(2022, 4, 30)), (datetime(2022, 4, 30, 13, 5), date(2022, 4, 30))],
)
def test_parse_date_accepts_date_objects(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [(44681, date(2022, 4, 30)), (44681.75, date(2022, 4, 30)), (45292, date(2024, 1, 1)), ("44681", date(2022, 4, 30))])
def test_parse_date_converts_excel_serial_numbers(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [("28/10", date(2022, 10, 28)), ("ngày 28 tháng 10", date(2022, 10, 28))])
def test_parse_date_uses_the_default_year_for_day_and_month(raw, expected):
    assert parse_date(raw, default_year=2022) == expected


def test_parse_date_needs_a_default_year_for_day_and_month():
    with pytest.raises(DateError):
        parse_date("28/10")


@pytest.mark.parametrize("raw", ["31/02/2024", "29/02/2023", "32/01/2024", "15/13/2024", "2024-02-30"])
def test_parse_date_rejects_days_that_do_not_exist(raw):
    with pytest.raises(DateError):
        parse_date(raw)


@pytest.mark.parametrize("raw", ["hôm qua", "", None, 12, 100000, True, "2022", "20/05/22x"])
def test_parse_date_rejects_other_values(raw):
    with pytest.raises(DateError):
        parse_date(raw)


def test_date_error_is_a_value_error():
    assert issubclass(DateError, ValueError)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=30), st.text(alphabet="0123456789/-. ngaythm", max_size=30), st.integers(), st.floats()), st.one_of(st.none(), st.integers(min_value=-5, max_value=10000)))
def test_parse_date_raises_only_date_error(raw, default_year):
    try:
        assert isinstance(parse_date(raw, default_year), date)
    except DateError:
        pass
