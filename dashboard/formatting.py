"""Numbers, percents and dates as Vietnamese (or English) readers expect them.

Pure functions, no Streamlit. A missing value (``None``, ``NaN``, ``pd.NA``,
``NaT``) is always shown as the "no data" text, never as ``0``.

    >>> fmt_number(1470), fmt_number(1470, lang="en")
    ('1.470', '1,470')
    >>> fmt_percent(23.08)
    '23,08%'
    >>> fmt_fraction(16, 18)
    '16/18 (88,89%)'

Percent values are stored in percent (``23.08``, not ``0.2308``), as in the
warehouse contract (docs/warehouse.md).

Plotly: set ``layout.separators = plotly_separators(lang)`` on every figure and
use ``hover_number_format(unit)`` (or ``hover_value(unit)``) in hover templates
and ``tickformat``; the ``,`` in a d3 format means "group thousands" and Plotly
draws it with the separators of the layout.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Final

from dashboard.i18n import normalize_lang, t
from etl.numbers import format_number

UNITS: Final = ("count", "percent", "yesno", "score")

# (decimal mark, thousands separator)
_MARKS: Final = {"vi": (",", "."), "en": (".", ",")}


def no_data(lang: str = "vi") -> str:
    """The text shown instead of a missing value: 'Không có dữ liệu' / 'No data'."""
    return t("common.no_data", lang)


def is_missing(x: object) -> bool:
    """True for None, NaN, pd.NA, NaT and other values that are not a number or date."""
    if x is None:
        return True
    try:
        # pd.NA raises TypeError on bool(); NaN and NaT are not equal to themselves.
        return bool(x != x)  # noqa: PLR0124
    except TypeError:
        return True


def fmt_number(x: object, decimals: int = 0, lang: str = "vi") -> str:
    """Group thousands and round: ``1470 -> '1.470'`` (vi), ``'1,470'`` (en).

    >>> fmt_number(1234.5, 1), fmt_number(-0.001)
    ('1.234,5', '0')
    """
    if is_missing(x):
        return no_data(lang)
    value = float(x)  # type: ignore[arg-type]
    if math.isinf(value):
        return no_data(lang)
    # one rule for the whole product: the ETL parses what this prints
    return format_number(value, decimals, normalize_lang(lang))


def fmt_percent(x: object, decimals: int = 2, lang: str = "vi") -> str:
    """A value already in percent: ``23.08 -> '23,08%'`` (vi), ``'23.08%'`` (en)."""
    if is_missing(x):
        return no_data(lang)
    return fmt_number(x, decimals, lang) + "%"


def fmt_date(d: object, lang: str = "vi") -> str:
    """``dd/mm/yyyy`` in both languages; accepts date, datetime, Timestamp or ISO text."""
    if is_missing(d):
        return no_data(lang)
    if isinstance(d, str):
        try:
            d = dt.date.fromisoformat(d[:10])
        except ValueError:
            return no_data(lang)
    if not hasattr(d, "strftime"):
        return no_data(lang)
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"  # type: ignore[attr-defined]


def fmt_fraction(num: object, den: object, lang: str = "vi", decimals: int = 2) -> str:
    """A part of a whole with its share: ``(16, 18) -> '16/18 (88,89%)'``.

    A missing part or a zero denominator gives the "no data" text.
    """
    if is_missing(num) or is_missing(den) or float(den) == 0:  # type: ignore[arg-type]
        return no_data(lang)
    share = 100 * float(num) / float(den)  # type: ignore[arg-type]
    return (
        f"{fmt_number(num, 0, lang)}/{fmt_number(den, 0, lang)} "
        f"({fmt_percent(share, decimals, lang)})"
    )


def fmt_value(x: object, unit: str, lang: str = "vi") -> str:
    """Format a value by its indicator's unit (``count``, ``percent``, ``yesno``, ``score``).

    Counts show decimals only when they have some; a yes-no value of one unit is
    'Có' / 'Không' (a province-level share of yes is a percent: use
    ``fmt_percent``). An unknown unit raises ``ValueError``.
    """
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; expected one of {UNITS}")
    if is_missing(x):
        return no_data(lang)
    if unit == "count":
        decimals = 0 if float(x).is_integer() else 2  # type: ignore[arg-type]
        return fmt_number(x, decimals, lang)
    if unit == "percent":
        return fmt_percent(x, 2, lang)
    if unit == "yesno":
        return t("common.yes" if float(x) >= 0.5 else "common.no", lang)  # type: ignore[arg-type]
    return fmt_number(x, 2, lang)  # score


def plotly_separators(lang: str = "vi") -> str:
    """Plotly ``layout.separators``: first character decimal mark, second thousands."""
    decimal_mark, thousands = _MARKS[normalize_lang(lang)]
    return decimal_mark + thousands


def hover_number_format(unit: str) -> str:
    """d3-format for hover templates and ``tickformat`` by indicator unit.

    Percent values are stored in percent, so the format has no ``%`` type (that
    would multiply by 100): add a literal ``%`` after it, or use ``hover_value``.
    """
    formats = {"count": ",.0f", "percent": ",.2f", "yesno": ",.0f", "score": ",.2f"}
    if unit not in formats:
        raise ValueError(f"unknown unit {unit!r}; expected one of {UNITS}")
    return formats[unit]


def hover_value(unit: str, field: str = "y") -> str:
    """A hover-template fragment for one value: ``hover_value('percent') -> '%{y:,.2f}%'``."""
    suffix = "%" if unit == "percent" else ""
    return "%{" + field + ":" + hover_number_format(unit) + "}" + suffix


_MARKDOWN_SPECIALS = frozenset("\\`*_{}[]()#+-.!|<>~$:=\"'&")


def md_escape(text: object) -> str:
    """Text as Streamlit's Markdown shows it literally: every ASCII punctuation mark escaped.

    A file name like ``[x](https://…).csv`` is data from a client: unescaped, st.success or
    st.subheader would draw a link or an image (issue 15, Low); ``:red[…]`` and
    ``:material/…:`` directives are neutralised too.

    >>> print(md_escape("[x](a).csv"))
    \\[x\\]\\(a\\)\\.csv
    """
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in str(text))
