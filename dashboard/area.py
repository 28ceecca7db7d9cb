"""The 'By area' page's rules: which units a province shows for a period, and how 90 to 170
of them stay readable (the best and weakest N, a name search, a table). No Streamlit.

Since 1 July 2025 Vietnam has no district level: a province's units are its communes,
wards and special zones (kind ``commune``, parent = the province). Before, they were
districts, towns and cities (kinds ``district``, ``town``, ``city``), whose parent is
the province *of that time*. A current province formed from former provinces
(``units`` rows of kind ``province`` whose ``successor`` is it: Đà Nẵng 48 from Quảng
Nam 49 and the former Đà Nẵng ``cu-48``) therefore shows, for a period before the
reform, the districts of those former provinces (see data/reference/README.md).

    >>> before = area_for("48", date(2024, 12, 31), ("49", "cu-48"))
    >>> before.level, before.kinds, before.parents == ("48", "49", "cu-48")
    ('district', ('city', 'town', 'district'), True)
    >>> after = area_for("48", date(2025, 8, 31), ("49", "cu-48"))
    >>> after.level, after.kinds, after.parents == ("48",)
    ('commune', ('commune',), True)

The queries take a DuckDB cursor first, like dashboard/queries.py, and read only the
contract's views and tables (``indicator_values``, ``current_facts``, ``units``,
``indicators``). The province's own value still comes from ``queries.province_values``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard import queries
from dashboard.queries import UNIT_LEVEL
from etl.text import fold

REFORM_DAY = date(2025, 7, 1)  # the district level ends on 30/06/2025
DISTRICT_LEVEL = ("city", "town", "district")
COMMUNE_LEVEL = ("commune",)
AREA_KINDS = DISTRICT_LEVEL + COMMUNE_LEVEL
DEFAULT_ENDS = 10  # the ranking shows the best and the weakest 10 by default


@dataclass(frozen=True)
class Area:
    """The units a page shows: units of ``kinds`` whose parent is one of ``parents``."""

    province: str
    level: str  # "district" (before 01/07/2025) or "commune"
    kinds: tuple[str, ...]
    parents: tuple[str, ...]  # the province first, then the former provinces it was formed from


def area_for(province: str, period_end: date, former: tuple[str, ...] = ()) -> Area:
    """The units of ``province`` for a period ending on ``period_end``.

    A period that ends before 01/07/2025 shows the district level of the province
    and of the ``former`` provinces it was formed from; a later one (a period that
    runs across the day included) the province's communes, wards and special zones.

    >>> area_for("49", date(2025, 6, 30)).level, area_for("49", date(2025, 7, 31)).level
    ('district', 'commune')
    """
    if period_end < REFORM_DAY:
        parents = (province, *(p for p in former if p != province))
        return Area(province, "district", DISTRICT_LEVEL, parents)
    return Area(province, "commune", COMMUNE_LEVEL, (province,))


# --------------------------------------------------------------------------- queries
def _marks(values) -> str:
    return "(" + ", ".join("?" for _ in values) + ")"


def area_of(cur, province: str, period_end: date) -> Area:
    """:func:`area_for` with the province's former provinces read from ``units``."""
    return area_for(province, period_end, tuple(queries.former_provinces(cur, province)))


def _all_parents(cur, province: str) -> tuple[str, ...]:
    return (province, *tuple(queries.former_provinces(cur, province)))


def area_indicators(cur, province: str) -> pd.DataFrame:
    """Indicators that some unit of the province's areas (either level, former provinces
    included) reported at least once, in catalogue order. Columns as
    ``unit_queries.indicators_with_unit_data``."""
    parents = _all_parents(cur, province)
    return cur.execute(
        f"""SELECT i.code, i.name_vi, i.name_en, i.unit, i.aggregation, i.direction, i.target,
                   i.numerator_vi, i.denominator_vi, i.numerator_en, i.denominator_en, i.topic
            FROM indicators i
            WHERE EXISTS (SELECT 1 FROM current_counts c JOIN units u ON u.code = c.unit_code
                          WHERE c.indicator_code = i.code AND u.parent IN {_marks(parents)}
                            AND u.kind IN {_marks(AREA_KINDS)})
            ORDER BY i.topic, i.code""",
        [*parents, *AREA_KINDS],
    ).df()


def area_periods(cur, code: str, province: str) -> pd.DataFrame:
    """Periods in which the province, or a unit of its areas, reported ``code`` (newest first).

    Columns: period_kind, period_start, period_end, units (how many reported). A
    period is only counted for the level it belongs to (:func:`area_for`): a
    district's row dated after 30/06/2025 does not make a period of the page.
    """
    parents = _all_parents(cur, province)
    return cur.execute(
        f"""SELECT c.period_kind, c.period_start, c.period_end,
                   count(DISTINCT c.unit_code) FILTER (WHERE u.kind <> 'province') AS units
            FROM current_facts c JOIN units u ON u.code = c.unit_code
            WHERE c.indicator_code = ?
              AND ((u.kind IN {_marks(DISTRICT_LEVEL)} AND u.parent IN {_marks(parents)} AND c.period_end < ?)
                   OR (u.kind IN {_marks(COMMUNE_LEVEL)} AND u.parent = ? AND c.period_end >= ?)
                   OR u.code = ?)
            GROUP BY ALL ORDER BY c.period_end DESC, c.period_start""",
        [code, *DISTRICT_LEVEL, *parents, REFORM_DAY, *COMMUNE_LEVEL, province, REFORM_DAY, province],
    ).df()


def area_dominant_kind(cur, code: str, province: str) -> str | None:
    """The period kind in which the units of the province's areas mostly report ``code``."""
    parents = _all_parents(cur, province)
    row = cur.execute(
        f"""SELECT c.period_kind FROM current_counts c JOIN units u ON u.code = c.unit_code
            WHERE c.indicator_code = ? AND u.parent IN {_marks(parents)} AND u.kind IN {_marks(AREA_KINDS)}
            GROUP BY c.period_kind ORDER BY sum(c.n_periods) DESC, min(c.period_kind) LIMIT 1""",
        [code, *parents, *AREA_KINDS],
    ).fetchone()
    return row[0] if row else None


def area_values(cur, code: str, period_start: date, period_end: date, *, province: str) -> pd.DataFrame:
    """Every unit of the period's area (:func:`area_of`) that existed in the period, with its value.

    Columns as ``queries.unit_values`` (unit_code, unit_name, name_en, kind, value,
    numerator, denominator, reported, valid_to, successor, successor_name, lat, lon)
    plus ``parent``. NULL value: not reported (never 0). Best first by value.
    """
    area = area_of(cur, province, period_end)
    unit_level = UNIT_LEVEL.replace(
        "WHERE indicator_code = ?",
        f"""WHERE indicator_code = ? AND period_start = ? AND period_end = ?
      AND unit_code IN (SELECT code FROM units WHERE parent IN {_marks(area.parents)})""")
    sql = f"""
    WITH {unit_level}
    SELECT u.code AS unit_code, u.name_vi AS unit_name, u.name_en, u.kind, u.parent,
           v.value, v.numerator, v.denominator, v.value IS NOT NULL AS reported,
           u.valid_to, u.successor, s.name_vi AS successor_name, u.lat, u.lon
    FROM units u
    LEFT JOIN unit_values v ON v.unit_code = u.code
    LEFT JOIN units s ON s.code = u.successor
    WHERE u.parent IN {_marks(area.parents)} AND u.kind IN {_marks(area.kinds)}
      AND (u.valid_from IS NULL OR u.valid_from <= ?)
      AND (u.valid_to IS NULL OR u.valid_to >= ?)
    ORDER BY v.value DESC NULLS LAST, u.name_vi, u.code
    """
    params = [code, period_start, period_end, *area.parents, *area.parents, *area.kinds, period_end, period_start]
    return cur.execute(sql, params).df()


def named_units(cur, codes) -> pd.DataFrame:
    """code, name_vi, name_en of the given units (former provinces named on the page)."""
    codes = tuple(codes)
    if not codes:
        return pd.DataFrame(columns=["code", "name_vi", "name_en", "valid_to"])
    return cur.execute(
        f"SELECT code, name_vi, name_en, valid_to FROM units WHERE code IN {_marks(codes)} ORDER BY code",
        list(codes),
    ).df()


# --------------------------------------------------------------------------- reading many units
def search(frame: pd.DataFrame, text: str | None, column: str = "name") -> pd.DataFrame:
    """Rows whose ``column`` contains ``text``, without regard to case or diacritics.

    >>> rows = pd.DataFrame({"name": ["Phường Hải Châu", "Xã Thăng Bình", "Phường Hòa Khánh"]})
    >>> list(search(rows, "hai chau")["name"]), list(search(rows, "PHƯỜNG")["name"])
    (['Phường Hải Châu'], ['Phường Hải Châu', 'Phường Hòa Khánh'])
    >>> len(search(rows, "  "))
    3
    """
    wanted = fold(text or "")
    if not wanted:
        return frame
    keep = [wanted in fold(name) for name in frame[column]]
    return frame[keep]


def ends(frame: pd.DataFrame, direction: str, n: int) -> pd.DataFrame:
    """The best ``n`` and the weakest ``n`` rows with a value, best first; all of them when
    there are no more than ``2 n``. ``direction`` 'down': smaller is better. Ties by name.

    >>> rows = pd.DataFrame({"name": list("abcde"), "value": [5.0, 1.0, 4.0, None, 2.0]})
    >>> list(ends(rows, "up", 1)["name"]), list(ends(rows, "down", 1)["name"]), len(ends(rows, "up", 2))
    (['a', 'b'], ['b', 'a'], 4)
    """
    ascending = direction == "down"
    ranked = frame[frame["value"].notna()].sort_values(["value", "name"], ascending=[ascending, True],
                                                     kind="stable")
    n = max(int(n), 0)
    if len(ranked) <= 2 * n:
        return ranked
    return pd.concat([ranked.head(n), ranked.tail(n)])


def ranks(frame: pd.DataFrame, direction: str) -> pd.Series:
    """1 for the best value, by ``direction`` (ties share the better rank); NA without a value."""
    return frame["value"].rank(method="min", ascending=direction == "down").astype("Int64")


def table(frame: pd.DataFrame, direction: str, kind_names: dict[str, str], status: dict[bool, str]) -> pd.DataFrame:
    """The sortable table of every unit: rank, name, kind, value, numerator, denominator, status.

    Numbers stay numbers (sorted as numbers; the page formats them with column_config).
    Rows: reported units best first, then the others by name.
    """
    out = pd.DataFrame({
        "rank": ranks(frame, direction),
        "name": frame["name"].astype("str"),
        "kind": [kind_names.get(k, k) for k in frame["kind"]],
        "value": frame["value"].astype("float64"),
        "numerator": frame["numerator"].astype("float64"),
        "denominator": frame["denominator"].astype("float64"),
        "status": [status[bool(r)] for r in frame["value"].notna()],
    }, index=frame.index)
    return out.sort_values(["rank", "name"], na_position="last", kind="stable").reset_index(drop=True)
