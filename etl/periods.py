"""Reporting periods: what a report covers, and every way offices write it.

A period is a ``kind`` and an inclusive ``[start, end]`` date range (see the table in
``docs/warehouse.md``).  Each period has one canonical code (``2024-Q1``) and a label
in Vietnamese or English; :func:`parse_period` reads a whole cell or option,
:func:`find_period` finds the period inside a report title.

>>> p = parse_period('Quý I/2024')
>>> p.code, p.label('vi'), p.label('en')
('2024-Q1', 'Quý I/2024', 'Q1 2024')
>>> find_period('TÌNH HÌNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH THÁNG 3/2024').code
'2024-03'
"""

from __future__ import annotations

import calendar
import functools
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from etl.numbers import DateError, excel_serial_to_date
from etl.text import clean, fold

__all__ = ["KINDS", "Period", "PeriodError", "parse_period", "find_period"]

KINDS = ("week", "month", "quarter", "half", "year", "range", "date")
MIN_YEAR, MAX_YEAR = 1900, 2199  # plausible reporting years; keeps ISO weeks in range


class PeriodError(ValueError):
    """A text is not a period, or names one that does not exist (month 13...)."""


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_ROMAN_VALUE = {v.lower(): k for k, v in _ROMAN.items()} | {"v": 5}
_MONTHS_EN = [calendar.month_name[i] for i in range(1, 13)]  # C locale: English
_MONTH_BY_NAME = {name.lower(): i + 1 for i, name in enumerate(_MONTHS_EN)}
_MONTH_BY_NAME.update({name.lower()[:3]: i + 1 for i, name in enumerate(_MONTHS_EN)})
_MONTH_BY_NAME["sept"] = 9


def _check_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"year {year} is outside {MIN_YEAR}–{MAX_YEAR}")
    return year


def _dmy(d: date) -> str:
    return d.strftime("%d/%m/%Y")


@functools.total_ordering
@dataclass(frozen=True)
class Period:
    """A reporting period: ``kind`` and inclusive ``start``/``end`` dates.

    Build it with the class methods (:meth:`week`, :meth:`month`, :meth:`quarter`,
    :meth:`half`, :meth:`year`, :meth:`range`, :meth:`as_of`) or from text.
    Periods sort by ``(start, end)``.

    >>> Period.week(2024, 12).code, Period.week(2024, 12).label()
    ('2024-W12', 'Tuần 12/2024 (18/03–24/03/2024)')
    >>> Period.month(2024, 1).previous().code
    '2023-12'
    >>> Period.as_of(date(2022, 4, 30)).label('en')
    'As of 30/04/2022'
    """

    kind: str
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise PeriodError(f"unknown period kind {self.kind!r}; expected one of {', '.join(KINDS)}")
        if not isinstance(self.start, date) or not isinstance(self.end, date):
            raise PeriodError("a period's start and end must be dates")
        if isinstance(self.start, datetime) or isinstance(self.end, datetime):
            # datetime is a date subclass but would never compare equal to a date
            object.__setattr__(self, "start", _as_date(self.start))
            object.__setattr__(self, "end", _as_date(self.end))
        if self.start > self.end:
            raise PeriodError(f"a period cannot end ({_dmy(self.end)}) before it starts ({_dmy(self.start)})")
        _check_year(self.start.year)
        _check_year(self.end.year)
        # The fixed kinds must have the exact calendar bounds, or the code would lie.
        if self.kind not in ("range", "date"):
            first, last = _calendar_bounds(self.kind, self.start)
            if (first, last) != (self.start, self.end):
                raise PeriodError(
                    f"{_dmy(self.start)}–{_dmy(self.end)} is not a calendar {self.kind} "
                    f"(expected {_dmy(first)}–{_dmy(last)})"
                )
        elif self.kind == "date" and self.start != self.end:
            raise PeriodError("an 'as of' period is a single day")

    # -- ordering: by dates; kind only breaks ties so the order is total
    def _key(self) -> tuple[date, date, int]:
        return (self.start, self.end, KINDS.index(self.kind))

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() < other._key()

    # -- constructors
    @classmethod
    def week(cls, year: int, week: int) -> Period:
        """ISO week ``week`` of ISO year ``year`` (Monday to Sunday)."""
        _check_year(year)
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            raise PeriodError(f"week {week} does not exist in {year} (it has {_iso_weeks(year)} ISO weeks)") from None
        return cls("week", monday, monday + timedelta(days=6))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        _check_year(year)
        if not 1 <= month <= 12:
            raise PeriodError(f"month {month} does not exist (months are 1–12)")
        last = calendar.monthrange(year, month)[1]
        return cls("month", date(year, month, 1), date(year, month, last))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        _check_year(year)
        if not 1 <= quarter <= 4:
            raise PeriodError(f"quarter {quarter} does not exist (quarters are 1–4)")
        first = 3 * quarter - 2
        return cls("quarter", date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1]))

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        _check_year(year)
        if half not in (1, 2):
            raise PeriodError(f"half {half} does not exist (halves are 1 and 2)")
        if half == 1:
            return cls("half", date(year, 1, 1), date(year, 6, 30))
        return cls("half", date(year, 7, 1), date(year, 12, 31))

    @classmethod
    def year(cls, year: int) -> Period:
        _check_year(year)
        return cls("year", date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def range(cls, start: date, end: date) -> Period:
        """Any span of days, both ends included."""
        return cls("range", _as_date(start), _as_date(end))

    @classmethod
    def as_of(cls, day: date) -> Period:
        """Figures accumulated up to and including ``day``."""
        day = _as_date(day)
        return cls("date", day, day)

    @classmethod
    def from_code(cls, code: str) -> Period:
        """Inverse of :attr:`code`.

        >>> Period.from_code('2024-H1').end
        datetime.date(2024, 6, 30)
        """
        if not isinstance(code, str):
            raise PeriodError(f"a period code must be text, not {type(code).__name__}")
        s = code.strip().upper()
        try:
            if m := re.fullmatch(r"([0-9]{4})-W([0-9]{2})", s):
                return cls.week(int(m[1]), int(m[2]))
            if m := re.fullmatch(r"([0-9]{4})-([0-9]{2})", s):
                return cls.month(int(m[1]), int(m[2]))
            if m := re.fullmatch(r"([0-9]{4})-Q([0-9])", s):
                return cls.quarter(int(m[1]), int(m[2]))
            if m := re.fullmatch(r"([0-9]{4})-H([0-9])", s):
                return cls.half(int(m[1]), int(m[2]))
            if m := re.fullmatch(r"[0-9]{4}", s):
                return cls.year(int(s))
            if m := re.fullmatch(r"([0-9]{4}-[0-9]{2}-[0-9]{2})\.\.([0-9]{4}-[0-9]{2}-[0-9]{2})", s):
                return cls.range(date.fromisoformat(m[1]), date.fromisoformat(m[2]))
            if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", s):
                return cls.as_of(date.fromisoformat(s))
        except ValueError as exc:  # date.fromisoformat on 2024-02-30
            if isinstance(exc, PeriodError):
                raise
            raise PeriodError(f"{code!r} names a day that does not exist") from None
        raise PeriodError(
            f"{code!r} is not a period code (expected e.g. 2024-W12, 2024-03, 2024-Q1, "
            f"2024-H1, 2024, 2022-02-01..2022-03-31 or 2022-04-30)"
        )

    # -- text
    def _code_of_start(self) -> str:
        s = self.start
        if self.kind == "week":
            iso = s.isocalendar()
            return f"{iso.year:04d}-W{iso.week:02d}"
        if self.kind == "month":
            return f"{s.year:04d}-{s.month:02d}"
        if self.kind == "quarter":
            return f"{s.year:04d}-Q{(s.month - 1) // 3 + 1}"
        if self.kind == "half":
            return f"{s.year:04d}-H{1 if s.month <= 6 else 2}"
        if self.kind == "year":
            return f"{s.year:04d}"
        if self.kind == "range":
            return f"{s.isoformat()}..{self.end.isoformat()}"
        return s.isoformat()

    @property
    def code(self) -> str:
        """Canonical text, e.g. ``2024-W12``, ``2024-03``, ``2024-Q1``, ``2024-H1``,
        ``2024``, ``2022-02-01..2022-03-31``, ``2022-04-30``."""
        return self._code_of_start()

    def label(self, lang: str = "vi") -> str:
        """Human label in ``'vi'`` or ``'en'``.

        >>> Period.half(2024, 2).label(), Period.month(2024, 3).label('en')
        ('6 tháng cuối năm 2024', 'March 2024')
        """
        if lang not in ("vi", "en"):
            raise ValueError(f"unknown language {lang!r}; expected 'vi' or 'en'")
        vi = lang == "vi"
        s, e = self.start, self.end
        if self.kind == "week":
            iso = s.isocalendar()
            # Short form "18/03–24/03/2024" unless the week spans two years.
            span = f"{s:%d/%m}–{_dmy(e)}" if s.year == e.year else f"{_dmy(s)}–{_dmy(e)}"
            if vi:
                return f"Tuần {iso.week}/{iso.year} ({span})"
            return f"Week {iso.week}, {iso.year} ({span})"
        if self.kind == "month":
            return f"Tháng {s.month}/{s.year}" if vi else f"{_MONTHS_EN[s.month - 1]} {s.year}"
        if self.kind == "quarter":
            q = (s.month - 1) // 3 + 1
            return f"Quý {_ROMAN[q]}/{s.year}" if vi else f"Q{q} {s.year}"
        if self.kind == "half":
            h = 1 if s.month <= 6 else 2
            if vi:
                return f"6 tháng {'đầu' if h == 1 else 'cuối'} năm {s.year}"
            return f"H{h} {s.year}"
        if self.kind == "year":
            return f"Năm {s.year}" if vi else f"{s.year}"
        if self.kind == "range":
            return f"{_dmy(s)}–{_dmy(e)}"
        return f"Đến {_dmy(s)}" if vi else f"As of {_dmy(s)}"

    def previous(self) -> Period | None:
        """The period of the same kind just before this one (``None`` for a range
        or an as-of date, which have no natural predecessor)."""
        s = self.start
        if self.kind == "week":
            iso = (s - timedelta(days=7)).isocalendar()
            return Period.week(iso.year, iso.week)
        if self.kind == "month":
            return Period.month(s.year - (s.month == 1), 12 if s.month == 1 else s.month - 1)
        if self.kind == "quarter":
            q = (s.month - 1) // 3 + 1
            return Period.quarter(s.year - (q == 1), 4 if q == 1 else q - 1)
        if self.kind == "half":
            return Period.half(s.year - (s.month <= 6), 2 if s.month <= 6 else 1)
        if self.kind == "year":
            return Period.year(s.year - 1)
        return None

    def __str__(self) -> str:
        return self.code


def _calendar_bounds(kind: str, day: date) -> tuple[date, date]:
    """First and last day of the week/month/quarter/half/year containing ``day``."""
    if kind == "week":
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    span = {"month": 1, "quarter": 3, "half": 6, "year": 12}[kind]
    first_month = (day.month - 1) // span * span + 1
    last_month = first_month + span - 1
    return (
        date(day.year, first_month, 1),
        date(day.year, last_month, calendar.monthrange(day.year, last_month)[1]),
    )


def _iso_weeks(year: int) -> int:
    return date(year, 12, 28).isocalendar().week


def _as_date(d: object) -> date:
    if isinstance(d, datetime):
        return d.date()
    if isinstance(d, date):
        return d
    raise PeriodError(f"expected a date, not {type(d).__name__}")


# --- reading text -----------------------------------------------------------------
# All patterns run on fold()-ed text: lower case, no diacritics, punctuation turned to
# single spaces.  So "Tháng 3/2024", "tháng 03 năm 2024" and "THÁNG 3-2024" all become
# "thang 3 2024" / "thang 03 nam 2024", and "30/04/2022" becomes "30 04 2022".

_Y = r"(?:(?: nam | )(?P<y{n}>[0-9]{{4}}))"  # " 2024" or " nam 2024"


def _date_re(n: str) -> str:
    """A day: '30 04 2022', 'ngay 30 thang 4 nam 2022', '30 04' (year optional)."""
    return (
        rf"(?:ngay )?(?P<d{n}>[0-9]{{1,2}})(?: thang | )(?P<m{n}>[0-9]{{1,2}})"
        + _Y.format(n=n) + "?"
    )


_D1, _D2, _D = _date_re("1"), _date_re("2"), _date_re("")
_YEAR_OPT = _Y.format(n="") + "?"
_ROMAN_OR_DIGIT = r"(?P<q>iv|v|iii|ii|i|[0-9])"  # "v" only to say "quarter 5 does not exist"
_MONTH_NAMES = "|".join(sorted(_MONTH_BY_NAME, key=len, reverse=True))

# Whole-text forms (parse_period).
_FULL = [
    ("range", re.compile(rf"(?:(?:tu|from) )?{_D1}(?: (?:den|to)(?: het)?)? {_D2}")),
    ("week", re.compile(rf"(?:tuan|week|w) ?(?P<w>[0-9]{{1,2}}){_YEAR_OPT}(?: (?:tu )?{_D1}(?: den)? {_D2})?")),
    ("month", re.compile(rf"(?:thang |t ?|month )(?P<m>[0-9]{{1,2}}){_YEAR_OPT}")),
    ("month", re.compile(r"(?P<m>[0-9]{1,2}) (?P<y>[0-9]{4})")),
    ("month", re.compile(rf"(?P<name>{_MONTH_NAMES}){_YEAR_OPT}")),
    ("quarter", re.compile(rf"(?:quy|quarter|q) ?{_ROMAN_OR_DIGIT}{_YEAR_OPT}")),
    ("half", re.compile(r"6 thang (?P<h>dau|cuoi)(?: nam)?(?: (?P<y>[0-9]{4}))?")),
    ("half", re.compile(r"h ?(?P<h>[0-9])(?: (?P<y>[0-9]{4}))?")),
    ("half", re.compile(r"(?P<h>first|second) half(?: of)?(?: (?P<y>[0-9]{4}))?")),
    ("year", re.compile(r"(?:nam |year )?(?P<y>[0-9]{4})")),
    ("date", re.compile(rf"(?:(?:(?:tinh )?den|as of)(?: het)? )?{_D}")),
]

# Forms searched inside a title line (find_period), most specific first.  Stricter
# than _FULL: a month needs "tháng"/"T", a year needs "năm", an as-of day needs
# "đến", a range needs "từ ... đến", so document numbers ("45/2024/NĐ-CP") and
# document dates ("ngày 02/7/2024") are not taken for periods.
_B = r"(?<![0-9a-z])"
_E = r"(?![0-9a-z])"
_SEARCH = [
    ("range", re.compile(rf"{_B}(?:tu|from) {_D1} (?:den|to)(?: het)? {_D2}{_E}")),
    ("date", re.compile(rf"{_B}(?:den|as of)(?: het)? {_D}{_E}")),
    ("week", re.compile(rf"{_B}(?:tuan|week) ?(?P<w>[0-9]{{1,2}}){_YEAR_OPT}{_E}")),
    ("month", re.compile(rf"{_B}(?:thang |t)(?P<m>[0-9]{{1,2}}){_YEAR_OPT}{_E}")),
    ("month", re.compile(rf"{_B}(?P<name>{_MONTH_NAMES}){_YEAR_OPT}{_E}")),
    ("quarter", re.compile(rf"{_B}(?:quy|quarter|q) ?{_ROMAN_OR_DIGIT}{_YEAR_OPT}{_E}")),
    ("half", re.compile(rf"{_B}6 thang (?P<h>dau|cuoi)(?: nam)?(?: (?P<y>[0-9]{{4}}))?{_E}")),
    ("half", re.compile(rf"{_B}(?P<h>first|second) half(?: of)?(?: (?P<y>[0-9]{{4}}))?{_E}")),
    ("year", re.compile(rf"{_B}(?:nam|year) (?P<y>[0-9]{{4}}){_E}")),
]

# Day expressions masked out before searching for months, quarters and years, so the
# "tháng 7 năm 2024" inside "ngày 02 tháng 7 năm 2024" is not read as a month.
_DAY_MASK = re.compile(
    rf"{_B}(?:ngay [0-9]{{1,2}}(?: thang | )[0-9]{{1,2}}{_Y.format(n='x')}?"
    rf"|[0-9]{{1,2}}(?: thang | )[0-9]{{1,2}}{_Y.format(n='z')}"
    rf"|[0-9]{{1,2}} thang [0-9]{{1,2}}){_E}"
)


def _year(m: re.Match, default_year: int | None, group: str = "y") -> int:
    y = m.groupdict().get(group)
    if y:
        return int(y)
    if default_year is None:
        raise PeriodError(f"{m[0]!r} has no year and no default year was given")
    return int(default_year)


def _day(m: re.Match, n: str, year: int | None) -> date:
    y = m[f"y{n}"]
    y = int(y) if y else year
    if y is None:
        raise PeriodError(f"{m[0]!r} has no year and no default year was given")
    _check_year(y)
    d, mo = int(m[f"d{n}"]), int(m[f"m{n}"])
    try:
        return date(y, mo, d)
    except ValueError:
        raise PeriodError(f"{d:02d}/{mo:02d}/{y} does not exist (no such day)") from None


def _build(kind: str, m: re.Match, default_year: int | None) -> Period:
    """Turn a match of one of the patterns above into a Period (or PeriodError)."""
    g = m.groupdict()
    if kind == "range":
        end = _day(m, "2", default_year)
        start = _day(m, "1", end.year)
        if start > end and not m["y1"]:
            # "từ 01/12 đến 31/01/2023": the start is in the year before.
            start = _day(m, "1", end.year - 1)
        if start > end:
            raise PeriodError(f"the range {_dmy(start)}–{_dmy(end)} ends before it starts")
        return Period.range(start, end)
    if kind == "date":
        return Period.as_of(_day(m, "", default_year))
    if kind == "week":
        period = Period.week(_year(m, default_year), int(g["w"]))
        if g.get("d1"):  # "Tuần 12/2024 (18/03–24/03/2024)": the dates must agree
            end = _day(m, "2", period.end.year)
            start = _day(m, "1", end.year)
            if (start, end) != (period.start, period.end):
                raise PeriodError(
                    f"week {period.code} is {_dmy(period.start)}–{_dmy(period.end)}, "
                    f"not {_dmy(start)}–{_dmy(end)}"
                )
        return period
    if kind == "month":
        month = _MONTH_BY_NAME[g["name"]] if g.get("name") else int(g["m"])
        return Period.month(_year(m, default_year), month)
    if kind == "quarter":
        q = g["q"]
        return Period.quarter(_year(m, default_year), _ROMAN_VALUE.get(q) or int(q))
    if kind == "half":
        h = {"dau": 1, "first": 1, "cuoi": 2, "second": 2}.get(g["h"]) or int(g["h"])
        return Period.half(_year(m, default_year), h)
    return Period.year(int(g["y"]))


def parse_period(text: object, default_year: int | None = None) -> Period:
    """Read a whole cell or option as a period.

    Accepts canonical codes and the Vietnamese/English forms of ``docs/warehouse.md``
    in any case, with or without diacritics, plus date objects and Excel serial
    numbers (as an "as of" day) and a bare year number.  ``default_year`` completes
    forms written without a year (``Tháng 3``, ``28/10``).

    >>> parse_period('tháng 03 năm 2024').code
    '2024-03'
    >>> parse_period('từ 01/02 đến 31/3/2022').code
    '2022-02-01..2022-03-31'
    >>> parse_period('tính đến ngày 30/4/2022').label()
    'Đến 30/04/2022'
    """
    if isinstance(text, Period):
        return text
    if text is None:
        raise PeriodError("the period is empty")
    if isinstance(text, (date, datetime)):
        return Period.as_of(_as_date(text))
    if isinstance(text, bool):
        raise PeriodError(f"{text!r} is not a period")
    if isinstance(text, (int, float)):
        if isinstance(text, float) and not math.isfinite(text):
            raise PeriodError("the period is empty")
        if float(text).is_integer() and MIN_YEAR <= text <= MAX_YEAR:
            return Period.year(int(text))  # a "Năm" column holding 2024
        try:
            return Period.as_of(excel_serial_to_date(text))
        except DateError:
            raise PeriodError(f"{text!r} is neither a year nor an Excel date") from None
    if not isinstance(text, str):
        raise PeriodError(f"{text!r} is not a period")

    s = clean(text)
    if not s:
        raise PeriodError("the period is empty")
    try:
        return Period.from_code(s)
    except PeriodError:
        if re.fullmatch(r"[0-9]{4}(?:-[0-9A-Za-z]+)+(?:\.\.[0-9-]+)?", s):
            raise  # it is written as a code, so the code's error is the clear one
    folded = fold(s)
    for kind, pattern in _FULL:
        if m := pattern.fullmatch(folded):
            return _build(kind, m, default_year)
    raise PeriodError(
        f"cannot read {s!r} as a period; write e.g. 'Tháng 3/2024', 'Quý I/2024', "
        f"'6 tháng đầu năm 2024', 'Năm 2024', 'Tuần 12/2024', "
        f"'từ 01/02/2022 đến 31/03/2022', 'đến ngày 30/04/2022' or a code such as 2024-Q1"
    )


def find_period(text: object, default_year: int | None = None) -> Period | None:
    """Find the period named inside a report title line, or ``None``.

    Prefers the most specific form (range > as-of day > week > month > quarter >
    half > year).  Document references and signature dates
    (``Báo cáo số 45/BC-SKHCN ngày 02/7/2024``, ``Quảng Nam, ngày 02 tháng 7 năm
    2024``) are not periods.  Forms without a year need ``default_year``, else they
    are skipped.

    >>> find_period('(Từ ngày 01/02/2022 đến ngày 31/03/2022)').code
    '2022-02-01..2022-03-31'
    >>> find_period('Quảng Nam, ngày 02 tháng 7 năm 2024') is None
    True
    """
    if text is None or isinstance(text, (int, float, date)):
        return None  # a number or a date on its own is a value, not a title
    folded = fold(text)
    if not folded:
        return None
    masked = None
    for kind, pattern in _SEARCH:
        if kind not in ("range", "date") and masked is None:
            masked = _DAY_MASK.sub(" ~ ", folded)
        haystack = folded if kind in ("range", "date") else masked
        for m in pattern.finditer(haystack):
            try:
                return _build(kind, m, default_year)
            except PeriodError:
                continue  # "tháng 13", a day without a year...: keep looking
    return None
