"""Numbers, yes/no answers and dates as offices type them.

Vietnamese convention: ``1.470`` is one thousand four hundred seventy and ``23,08`` is
twenty-three point zero eight.  Some files use the English convention (``82.8``,
``1,470``).  :func:`parse_number` decides by the indicator's unit and plausibility and
returns a short note of the decision so the loader can report it.

>>> parse_number('1.470')
(1470.0, None)
>>> parse_number('23,08%', 'percent')
(23.08, None)
>>> parse_number('82.8', 'percent')
(82.8, 'dot read as decimal point')
>>> format_number(1470), format_number(23.08, 2, 'en')
('1.470', '23.08')
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta

from etl.text import clean, fold

__all__ = [
    "NumberError",
    "DateError",
    "UNITS",
    "parse_number",
    "format_number",
    "parse_yesno",
    "parse_date",
    "excel_serial_to_date",
]

UNITS = ("count", "percent", "score", "yesno")


class NumberError(ValueError):
    """A cell cannot be read as a number.

    ``raw`` is the cell as given; ``expected`` says in a few English words what would
    have been accepted (for the error report shown to the office).
    """

    def __init__(self, raw: object, expected: str):
        self.raw = raw
        self.expected = expected
        super().__init__(f"cannot read {raw!r}: expected {expected}")


class DateError(ValueError):
    """A cell cannot be read as a date."""

    def __init__(self, raw: object, reason: str = "a date such as 20/05/2022"):
        self.raw = raw
        self.reason = reason
        super().__init__(f"cannot read {raw!r} as a date: expected {reason}")


# Cells that mean "no value" in hand-filled reports.
_EMPTY = {"", "-", "–", "—", "..", "...", "…"}

_EXPECTED = "a number such as 1.470 or 23,08"

_BODY = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
_VI_THOUSANDS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_EN_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")


def _is_bool(x: object) -> bool:
    # numpy.bool_ is neither bool nor int; catch it by name to avoid importing numpy.
    return isinstance(x, bool) or type(x).__name__ in ("bool_", "bool8")


def _is_real(x: object) -> bool:
    if _is_bool(x):
        return False
    if isinstance(x, (int, float)):
        return True
    # numpy integers/floats without importing numpy
    return type(x).__module__ == "numpy" and hasattr(x, "dtype") and x.dtype.kind in "iuf"


def parse_number(raw: object, unit: str = "count") -> tuple[float | None, str | None]:
    """Read a cell as a number for an indicator of the given ``unit``.

    Returns ``(value, decision)``: ``value`` is ``None`` for an empty cell (``''``,
    ``-``, ``–``, ``—``, ``..``, NaN); ``decision`` is ``None`` or a short English
    note of an interpretation taken (to be shown as a warning).

    ``unit`` is ``'count'``, ``'percent'``, ``'score'`` or ``'yesno'`` (yes/no cells
    are read with :func:`parse_yesno` and give ``1.0`` / ``0.0``).

    Rules for text:

    - spaces between digits are ignored (``'1 470'``), ``+``/``-`` signs allowed;
    - ``%`` before or after is allowed only for percents;
    - both ``.`` and ``,``: the last one is the decimal separator;
    - only ``,``: decimal comma (``'23,08'``), except a count such as ``'1,470'``
      which is read as English thousands;
    - only ``.`` in groups of three (``'1.470'``): thousands for a count, decimal for
      a score, and for a percent decimal when that gives at most 100;
    - any other ``.`` is a decimal point (English ``'82.8'``).

    Whether a count is whole and not negative is checked later, by validation.

    >>> parse_number('1 470')
    (1470.0, None)
    >>> parse_number('1,470')
    (1470.0, 'comma read as thousands separator')
    >>> parse_number('1.470', 'percent')
    (1.47, 'dot read as decimal point')
    >>> parse_number('-')
    (None, None)
    """
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; expected one of {UNITS}")
    if raw is None:
        return None, None
    if unit == "yesno":
        try:
            flag = parse_yesno(raw)
        except NumberError:
            raise NumberError(raw, "x / có / không") from None
        return (None if flag is None else float(flag)), None
    if _is_bool(raw):
        raise NumberError(raw, _EXPECTED)
    if _is_real(raw):
        value = float(raw)
        if math.isnan(value):
            return None, None  # pandas' empty cell
        if math.isinf(value):
            raise NumberError(raw, _EXPECTED)
        return value, None
    if not isinstance(raw, str):
        raise NumberError(raw, _EXPECTED)

    s = clean(raw)
    if s in _EMPTY:
        return None, None
    if s.startswith("%") or s.endswith("%"):
        if unit != "percent":
            raise NumberError(raw, f"a {unit} without %")
        s = s.strip("%").strip()
    sign = 1.0
    if s[:1] in ("+", "-", "−"):  # U+2212 MINUS SIGN from copy-paste
        sign = -1.0 if s[0] != "+" else 1.0
        s = s[1:].lstrip()
    # "1 470": a space typed (or formatted) as a thousands separator.
    if re.fullmatch(r"[0-9][0-9., ]*", s):
        s = s.replace(" ", "")
    if not _BODY.fullmatch(s):
        raise NumberError(raw, _EXPECTED)

    value, decision = _read_body(s, unit, raw)
    value *= sign
    if math.isinf(value):
        raise NumberError(raw, _EXPECTED)
    return value + 0.0, decision  # + 0.0 turns -0.0 into 0.0


def _read_body(s: str, unit: str, raw: object) -> tuple[float, str | None]:
    has_dot, has_comma = "." in s, "," in s
    if has_dot and has_comma:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        thou = "," if dec == "." else "."
        int_part, _, frac = s.rpartition(dec)
        # The thousands separator must group by three and never follow the decimal.
        if not re.fullmatch(r"[0-9]{1,3}(?:" + re.escape(thou) + r"[0-9]{3})*", int_part):
            raise NumberError(raw, _EXPECTED)
        value = float(int_part.replace(thou, "") + "." + frac)
        note = None if dec == "," else "comma read as thousands separator, dot as decimal point"
        return value, note
    if has_comma:
        if unit == "count" and _EN_THOUSANDS.fullmatch(s):
            return float(s.replace(",", "")), "comma read as thousands separator"
        if s.count(",") > 1:
            raise NumberError(raw, _EXPECTED)
        return float(s.replace(",", ".")), None
    if has_dot:
        if _VI_THOUSANDS.fullmatch(s):
            thousands = float(s.replace(".", ""))
            if unit == "count":
                return thousands, None  # the Vietnamese convention: no guess made
            if s.count(".") == 1:
                decimal = float(s)
                if unit == "score" or decimal <= 100:
                    return decimal, "dot read as decimal point"
            # "123.456" cannot be a percent of at most 100 read as a decimal
            return thousands, "dot read as thousands separator"
        if s.count(".") > 1:
            raise NumberError(raw, _EXPECTED)
        return float(s), "dot read as decimal point"
    return float(s), None


def format_number(x: float, decimals: int = 0, lang: str = "vi") -> str:
    """Format a number with the separators of ``lang`` (``'vi'`` or ``'en'``).

    >>> format_number(1470), format_number(23.08, 2)
    ('1.470', '23,08')
    >>> format_number(1470, 0, 'en'), format_number(-23.08, 2, 'en')
    ('1,470', '-23.08')
    """
    if lang not in ("vi", "en"):
        raise ValueError(f"unknown language {lang!r}; expected 'vi' or 'en'")
    text = f"{abs(x):,.{decimals}f}"
    # Do not print "-0" for a tiny negative number rounded to zero.
    negative = x < 0 and any(ch not in "0.," for ch in text)
    if lang == "vi":
        text = text.translate(str.maketrans({",": ".", ".": ","}))
    return ("-" if negative else "") + text


_YES = {"x", "co", "yes", "y", "1", "da thanh lap", "roi", "da", "true", "dat"}
_NO = {"0", "khong", "no", "n", "chua", "chua thanh lap", "false", "ko"}
_YES_SYMBOLS = {"✓", "✔", "☑"}


def parse_yesno(raw: object) -> bool | None:
    """Read a yes/no cell: ``x``, ``có``, ``đã``... are yes; ``không``, ``chưa``... no.

    Empty cells and ``-`` give ``None``.

    >>> parse_yesno('X'), parse_yesno('Có'), parse_yesno('chưa'), parse_yesno('')
    (True, True, False, None)
    """
    if raw is None:
        return None
    if _is_bool(raw):
        return bool(raw)
    if _is_real(raw):
        value = float(raw)
        if math.isnan(value):
            return None
        if value in (0.0, 1.0):
            return value == 1.0
        raise NumberError(raw, "x / có / không")
    s = clean(raw)
    if s in _EMPTY:
        return None
    if s in _YES_SYMBOLS:
        return True
    key = fold(s)
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise NumberError(raw, "x / có / không")


# The 1900 date system of Excel, with its fake 29/02/1900 already accounted for by
# counting from 30/12/1899.
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_MIN, _SERIAL_MAX = 20000, 80000  # 1954-10-03 .. 2119-01-10
_YEAR_MIN, _YEAR_MAX = 1900, 2199

_DMY = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
_YMD = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?")
_DM = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})")
_WORDS = re.compile(r"([0-9]{1,2}) thang ([0-9]{1,2})(?: nam ([0-9]{4}))?")


def _make_date(raw: object, y: int, m: int, d: int) -> date:
    if not _YEAR_MIN <= y <= _YEAR_MAX:
        raise DateError(raw, f"a year between {_YEAR_MIN} and {_YEAR_MAX}")
    try:
        return date(y, m, d)
    except ValueError:
        raise DateError(raw, f"a day that exists ({d}/{m}/{y} does not)") from None


def excel_serial_to_date(serial: float) -> date:
    """Convert an Excel serial day number (1900 date system) to a date.

    >>> excel_serial_to_date(44681)
    datetime.date(2022, 4, 30)
    """
    if not _SERIAL_MIN <= serial <= _SERIAL_MAX:
        raise DateError(serial, f"an Excel date serial between {_SERIAL_MIN} and {_SERIAL_MAX}")
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def parse_date(raw: object, default_year: int | None = None) -> date:
    """Read a date typed in any of the usual ways.

    Accepts ``date``/``datetime`` objects, Excel serial numbers (20000–80000),
    ``dd/mm/yyyy`` (also with ``-`` or ``.``), ``yyyy-mm-dd``,
    ``ngày 20 tháng 5 năm 2022`` and ``dd/mm`` when ``default_year`` is given.
    Raises :class:`DateError` otherwise, also for days that do not exist.

    >>> parse_date('20/5/2022'), parse_date('Ngày 20 tháng 5 năm 2022')
    (datetime.date(2022, 5, 20), datetime.date(2022, 5, 20))
    >>> parse_date('28/10', default_year=2022)
    datetime.date(2022, 10, 28)
    """
    if raw is None:
        raise DateError(raw, "a date, not an empty cell")
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if _is_bool(raw):
        raise DateError(raw)
    if _is_real(raw):
        value = float(raw)
        if math.isnan(value):
            raise DateError(raw, "a date, not an empty cell")
        return excel_serial_to_date(value)
    if not isinstance(raw, str):
        raise DateError(raw)

    s = clean(raw)
    # Drop a leading "ngày"/"Ngày"/"NGÀY" (any spelling that folds to "ngay").
    first, _, rest = s.partition(" ")
    if rest and fold(first) == "ngay":
        s = rest
    if re.fullmatch(r"[0-9]{5}(?:\.0+)?", s):
        return excel_serial_to_date(float(s))
    if m := _DMY.fullmatch(s):
        return _make_date(raw, int(m[3]), int(m[2]), int(m[1]))
    if m := _YMD.fullmatch(s):
        return _make_date(raw, int(m[1]), int(m[2]), int(m[3]))
    if m := _DM.fullmatch(s):
        return _with_default_year(raw, int(m[2]), int(m[1]), default_year)
    if m := _WORDS.fullmatch(fold(s)):
        if m[3]:
            return _make_date(raw, int(m[3]), int(m[2]), int(m[1]))
        return _with_default_year(raw, int(m[2]), int(m[1]), default_year)
    raise DateError(raw)


def _with_default_year(raw: object, month: int, day: int, default_year: int | None) -> date:
    if default_year is None:
        raise DateError(raw, "a date with its year (dd/mm/yyyy)")
    return _make_date(raw, int(default_year), month, day)
