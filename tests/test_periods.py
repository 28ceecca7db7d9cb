"""Tests for etl.periods: the Period value, its codes and labels, and reading periods."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.periods import Period, PeriodError, find_period, parse_period

# --- Period: codes, labels, bounds -------------------------------------------------

EXAMPLES = [
    (Period.week(2024, 12), "2024-W12", date(2024, 3, 18), date(2024, 3, 24)),
    (Period.month(2024, 3), "2024-03", date(2024, 3, 1), date(2024, 3, 31)),
    (Period.quarter(2024, 1), "2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
    (Period.half(2024, 1), "2024-H1", date(2024, 1, 1), date(2024, 6, 30)),
    (Period.year(2024), "2024", date(2024, 1, 1), date(2024, 12, 31)),
    (Period.range(date(2022, 2, 1), date(2022, 3, 31)), "2022-02-01..2022-03-31", date(2022, 2, 1), date(2022, 3, 31)),
    (Period.as_of(date(2022, 4, 30)), "2022-04-30", date(2022, 4, 30), date(2022, 4, 30)),
]


@pytest.mark.parametrize(("period", "code", "start", "end"), EXAMPLES)
def test_period_has_the_canonical_code_and_inclusive_bounds(period, code, start, end):
    assert (period.code, period.start, period.end) == (code, start, end)


@pytest.mark.parametrize(("period", "code", "start", "end"), EXAMPLES)
def test_period_from_code_is_the_inverse_of_code(period, code, start, end):
    assert Period.from_code(code) == period


@pytest.mark.parametrize(
    ("period", "vi", "en"),
    [
        (Period.week(2024, 12), "Tuần 12/2024 (18/03–24/03/2024)", "Week 12, 2024 (18/03–24/03/2024)"),
        (Period.month(2024, 3), "Tháng 3/2024", "March 2024"),
        (Period.quarter(2024, 1), "Quý I/2024", "Q1 2024"),
        (Period.quarter(2024, 4), "Quý IV/2024", "Q4 2024"),
        (Period.half(2024, 1), "6 tháng đầu năm 2024", "H1 2024"),
        (Period.half(2024, 2), "6 tháng cuối năm 2024", "H2 2024"),
        (Period.year(2024), "Năm 2024", "2024"),
        (Period.range(date(2022, 2, 1), date(2022, 3, 31)), "01/02/2022–31/03/2022", "01/02/2022–31/03/2022"),
        (Period.as_of(date(2022, 4, 30)), "Đến 30/04/2022", "As of 30/04/2022"),
    ],
)
def test_period_labels_in_vietnamese_and_english(period, vi, en):
    assert (period.label("vi"), period.label("en")) == (vi, en)


def test_week_label_spells_both_years_when_the_week_spans_new_year():
    assert Period.week(2020, 53).label() == "Tuần 53/2020 (28/12/2020–03/01/2021)"


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        (Period.week(2024, 1), Period.week(2023, 52)),
        (Period.week(2021, 1), Period.week(2020, 53)),
        (Period.month(2024, 1), Period.month(2023, 12)),
        (Period.month(2024, 3), Period.month(2024, 2)),
        (Period.quarter(2024, 1), Period.quarter(2023, 4)),
        (Period.quarter(2024, 3), Period.quarter(2024, 2)),
        (Period.half(2024, 1), Period.half(2023, 2)),
        (Period.half(2024, 2), Period.half(2024, 1)),
        (Period.year(2024), Period.year(2023)),
    ],
)
def test_previous_is_the_preceding_period_of_the_same_kind(period, previous):
    assert period.previous() == previous


@pytest.mark.parametrize("period", [Period.range(date(2022, 2, 1), date(2022, 3, 31)), Period.as_of(date(2022, 4, 30))])
def test_ranges_and_as_of_days_have_no_previous_period(period):
    assert period.previous() is None


def test_periods_sort_by_start_then_end():
    periods = [Period.year(2024), Period.month(2024, 2), Period.quarter(2024, 1), Period.month(2023, 12)]
    assert [p.code for p in sorted(periods)] == ["2023-12", "2024-Q1", "2024", "2024-02"]


def test_periods_are_hashable_values():
    assert {Period.month(2024, 3), Period.from_code("2024-03")} == {Period.month(2024, 3)}


@pytest.mark.parametrize(
    "build",
    [
        lambda: Period.month(2024, 13),
        lambda: Period.month(2024, 0),
        lambda: Period.quarter(2024, 5),
        lambda: Period.half(2024, 3),
        lambda: Period.week(2024, 53),
        lambda: Period.week(2024, 0),
        lambda: Period.range(date(2022, 3, 31), date(2022, 2, 1)),
        lambda: Period("month", date(2024, 3, 5), date(2024, 4, 4)),
        lambda: Period("decade", date(2020, 1, 1), date(2029, 12, 31)),
    ],
)
def test_invalid_periods_raise_period_error(build):
    with pytest.raises(PeriodError):
        build()


@pytest.mark.parametrize("code", ["2024-13", "2024-Q5", "2024-H3", "2024-W53", "2022-02-30", "2022-03-31..2022-02-01", "March", ""])
def test_from_code_rejects_invalid_codes(code):
    with pytest.raises(PeriodError):
        Period.from_code(code)


def test_period_error_is_a_value_error():
    assert issubclass(PeriodError, ValueError)


# --- parse_period ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Tháng 3/2024", "2024-03"),
        ("tháng 03 năm 2024", "2024-03"),
        ("THÁNG 3/2024", "2024-03"),
        ("thang 3/2024", "2024-03"),
        ("T3/2024", "2024-03"),
        ("03/2024", "2024-03"),
        ("March 2024", "2024-03"),
        ("Mar 2024", "2024-03"),
        ("Quý I/2024", "2024-Q1"),
        ("Quý II/2024", "2024-Q2"),
        ("QUÝ IV/2024", "2024-Q4"),
        ("Quý 1 năm 2024", "2024-Q1"),
        ("Q1/2024", "2024-Q1"),
        ("Q1 2024", "2024-Q1"),
        ("Tuần 12/2024", "2024-W12"),
        ("tuần 12 năm 2024", "2024-W12"),
        ("Week 12 2024", "2024-W12"),
        ("6 tháng đầu năm 2024", "2024-H1"),
        ("6 tháng cuối năm 2024", "2024-H2"),
        ("6 THANG DAU NAM 2024", "2024-H1"),
        ("năm 2023", "2023"),
        ("Năm 2023", "2023"),
        ("2023", "2023"),
        ("từ ngày 01/02/2022 đến ngày 31/03/2022", "2022-02-01..2022-03-31"),
        ("Từ 01/02 đến 31/3/2022", "2022-02-01..2022-03-31"),
        ("tính đến ngày 30/4/2022", "2022-04-30"),
        ("đến ngày 30/04/2022", "2022-04-30"),
        ("30/04/2022", "2022-04-30"),
        ("ngày 30 tháng 4 năm 2022", "2022-04-30"),
    ],
)
def test_parse_period_reads_vietnamese_and_english_forms(text, code):
    assert parse_period(text).code == code


@pytest.mark.parametrize("code", ["2024-W12", "2024-03", "2024-Q1", "2024-H1", "2024", "2022-02-01..2022-03-31", "2022-04-30"])
def test_parse_period_reads_canonical_codes(code):
    assert parse_period(code).code == code


def test_parse_period_ignores_case_diacritics_and_nfd():
    import unicodedata

    assert parse_period(unicodedata.normalize("NFD", "QUÝ III/2024")) == Period.quarter(2024, 3)


@pytest.mark.parametrize(
    ("value", "code"),
    [(date(2022, 4, 30), "2022-04-30"), (datetime(2022, 4, 30, 8, 0), "2022-04-30"), (44681, "2022-04-30"), (2024, "2024")],
)
def test_parse_period_reads_dates_excel_serials_and_year_numbers(value, code):
    assert parse_period(value).code == code


def test_parse_period_puts_the_start_of_a_range_in_the_year_before_when_needed():
    assert parse_period("từ 01/12 đến 31/01/2023").code == "2022-12-01..2023-01-31"


@pytest.mark.parametrize(("text", "code"), [("Tháng 3", "2024-03"), ("Quý II", "2024-Q2"), ("28/10", "2024-10-28"), ("tính đến ngày 28/10", "2024-10-28")])
def test_parse_period_uses_the_default_year_when_the_text_has_none(text, code):
    assert parse_period(text, default_year=2024).code == code


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Tháng 13/2024", "month 13"),
        ("Quý V/2024", "quarter 5"),
        ("Quý 5/2024", "quarter 5"),
        ("Tuần 53/2024", "week 53"),
        ("từ 31/03/2022 đến 01/02/2022", "ends before it starts"),
        ("31/02/2024", "does not exist"),
        ("Tháng 3", "no year"),
        ("2024-13", "month 13"),
        ("hôm nay", "cannot read"),
        ("", "empty"),
    ],
)
def test_parse_period_explains_what_is_wrong(text, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(text)


def test_parse_period_accepts_week_53_of_a_long_year():
    assert parse_period("Tuần 53/2020") == Period.week(2020, 53)


def test_parse_period_checks_the_dates_written_after_a_week():
    with pytest.raises(PeriodError):
        parse_period("Tuần 12/2024 (11/03–17/03/2024)")


# --- find_period -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH QUÝ II/2024", "2024-Q2"),
        ("BÁO CÁO THÁNG 3/2024", "2024-03"),
        ("(Từ ngày 01/02/2022 đến ngày 31/03/2022)", "2022-02-01..2022-03-31"),
        ("Số liệu từ 01/02 đến 31/3/2022", "2022-02-01..2022-03-31"),
        ("KẾT QUẢ CHUYỂN ĐỔI SỐ 6 THÁNG ĐẦU NĂM 2024", "2024-H1"),
        ("BÁO CÁO TUẦN 12/2024", "2024-W12"),
        ("KẾT QUẢ NĂM 2023", "2023"),
        ("SỐ LIỆU TÍNH ĐẾN NGÀY 30/04/2022", "2022-04-30"),
    ],
)
def test_find_period_finds_the_period_in_a_title(title, code):
    assert find_period(title).code == code


def test_find_period_uses_the_default_year_for_a_day_without_year():
    assert find_period("SỐ LIỆU TÍNH ĐẾN NGÀY 28/10", default_year=2022) == Period.as_of(date(2022, 10, 28))


def test_find_period_skips_a_day_without_year_when_no_default_year():
    assert find_period("SỐ LIỆU TÍNH ĐẾN NGÀY 28/10") is None


@pytest.mark.parametrize(
    "line",
    [
        "(Kèm theo Báo cáo số 45/BC-SKHCN ngày 02/7/2024)",
        "Quảng Nam, ngày 02 tháng 7 năm 2024",
        "Thực hiện Nghị định số 45/2024/NĐ-CP",
        "UBND TỈNH QUẢNG NAM",
        "Đơn vị tính: hồ sơ",
        "",
    ],
)
def test_find_period_ignores_document_references_and_signature_dates(line):
    assert find_period(line, default_year=2024) is None


def test_find_period_prefers_the_period_over_a_document_date_on_the_same_line():
    line = "Kết quả quý I năm 2024 (kèm theo Công văn số 12/UBND ngày 05/4/2024)"
    assert find_period(line) == Period.quarter(2024, 1)


def test_find_period_prefers_the_most_specific_period_in_a_line():
    assert find_period("BÁO CÁO NĂM 2024 - THÁNG 3/2024").code == "2024-03"
    assert find_period("QUÝ I/2024 (từ ngày 01/01/2024 đến ngày 15/03/2024)").code == "2024-01-01..2024-03-15"


# --- properties --------------------------------------------------------------------

years = st.integers(min_value=1990, max_value=2100)


@st.composite
def periods(draw):
    kind = draw(st.sampled_from(["week", "month", "quarter", "half", "year", "range", "date"]))
    y = draw(years)
    if kind == "week":
        last = date(y, 12, 28).isocalendar().week
        return Period.week(y, draw(st.integers(1, last)))
    if kind == "month":
        return Period.month(y, draw(st.integers(1, 12)))
    if kind == "quarter":
        return Period.quarter(y, draw(st.integers(1, 4)))
    if kind == "half":
        return Period.half(y, draw(st.integers(1, 2)))
    if kind == "year":
        return Period.year(y)
    start = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
    if kind == "date":
        return Period.as_of(start)
    return Period.range(start, start + timedelta(days=draw(st.integers(0, 800))))


@settings(max_examples=300, deadline=None)
@given(periods())
def test_every_period_round_trips_through_its_code(p):
    assert Period.from_code(p.code) == p
    assert parse_period(p.code) == p


@settings(max_examples=300, deadline=None)
@given(periods(), st.sampled_from(["vi", "en"]))
def test_every_period_round_trips_through_its_labels(p, lang):
    if lang == "en" and p.kind == "year":
        return  # "2024" is the code too; covered above
    assert parse_period(p.label(lang)) == p


@settings(max_examples=200, deadline=None)
@given(periods())
def test_previous_period_ends_before_this_one_starts(p):
    prev = p.previous()
    if prev is not None:
        assert prev.kind == p.kind
        assert prev.end + timedelta(days=1) == p.start


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.text(max_size=40),
        st.text(alphabet="0123456789/-. tuanthgquyiv", max_size=40),
        st.sampled_from(["Tháng ", "Quý ", "Tuần ", "từ ", "đến ngày ", "6 tháng đầu năm "]).flatmap(
            lambda prefix: st.text(alphabet="0123456789/ .-", max_size=20).map(lambda rest: prefix + rest)
        ),
        st.integers(),
        st.floats(),
    ),
    st.one_of(st.none(), st.integers(min_value=-10, max_value=10000)),
)
def test_parse_and_find_period_raise_only_period_error(text, default_year):
    for fn in (parse_period, find_period):
        try:
            result = fn(text, default_year)
        except PeriodError:
            continue
        assert result is None or isinstance(result, Period)
