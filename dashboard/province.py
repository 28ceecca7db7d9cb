"""Which province this deployment shows: the setting, the warehouse's provinces, the URL.

Since 1 July 2025 Vietnam has 34 provinces; one warehouse may hold several of them
(the national synthetic warehouse holds all, the sample holds Quảng Nam 49 and a
few rows of Sóc Trăng 94). No module keeps a province code: the deployment names
its province, and the page's URL may choose another one the warehouse holds.

- :func:`configured_province`: ``$DX_PROVINCE``, else ``province`` in
  ``.streamlit/secrets.toml`` (read like ``dashboard.engines``), else None. A code
  (``48``) or a name (``Đà Nẵng``, ``Thành phố Đà Nẵng``, ``Da Nang City``).
- :func:`province_choices`: the provinces that have values (their own rows, or rows
  of their child units), current ones first, then by name. One DuckDB query over
  ``current_counts``, so it runs on Spark too.
- :func:`choose_province`: ``?province=`` when it is a valid choice, else the
  setting, else the first choice; an unknown URL value is ignored with a notice.

No Streamlit here except reading the secrets file, and only when asked to.

>>> qn = Province("49", "Tỉnh Quảng Nam", "Quang Nam Province", None, date(2025, 6, 30))
>>> qn.label("vi"), qn.label("en")
('Tỉnh Quảng Nam (đến 30/06/2025)', 'Quang Nam Province (until 30/06/2025)')
>>> resolve_province("quang nam", [qn]), resolve_province("Tỉnh Quảng Nam", [qn]), resolve_province("49", [qn])
('49', '49', '49')
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from etl.text import fold, strip_unit_prefix

ENV_VAR = "DX_PROVINCE"
SECRETS_KEY = "province"

# Unknown ``?province=`` values and settings: what the frame tells the reader.
UNKNOWN_URL = "unknown_url"
UNKNOWN_SETTING = "unknown_setting"


@dataclass(frozen=True)
class Province:
    """One province the warehouse holds values for."""

    code: str
    name_vi: str
    name_en: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    @property
    def current(self) -> bool:
        """A province that has not ended (``valid_to`` empty)."""
        return self.valid_to is None

    def name(self, lang: str = "vi") -> str:
        """The name in ``lang`` (Vietnamese when there is no English one)."""
        if lang == "en" and self.name_en:
            return self.name_en
        return self.name_vi

    def label(self, lang: str = "vi") -> str:
        """The name, and for a former province the day it ended: ``Tỉnh Quảng Nam (đến 30/06/2025)``."""
        if self.valid_to is None:
            return self.name(lang)
        day = self.valid_to.strftime("%d/%m/%Y")
        return f"{self.name(lang)} ({'until' if lang == 'en' else 'đến'} {day})"


@dataclass(frozen=True)
class Choice:
    """The province chosen for a run and, when a value was not understood, why it was ignored.

    ``notice`` is None, :data:`UNKNOWN_URL` or :data:`UNKNOWN_SETTING`; ``ignored`` the value.
    """

    province: Province | None
    notice: str | None = None
    ignored: str | None = None

    @property
    def code(self) -> str | None:
        return self.province.code if self.province else None


# --------------------------------------------------------------------------- the setting
def _secrets_province():
    try:
        import streamlit as st

        return st.secrets.get(SECRETS_KEY)
    except Exception:  # noqa: BLE001 - no secrets.toml, or not inside Streamlit: nothing configured there
        return None


def configured_province(env: Mapping[str, str] | None = None, secrets: Mapping | None = None) -> str | None:
    """The deployment's province as written: ``$DX_PROVINCE``, else secrets ``province``, else None.

    The text is returned stripped, not resolved (a name needs the warehouse's
    provinces: :func:`resolve_province`). Empty values count as not set.

    >>> configured_province({"DX_PROVINCE": " 48 "}, {})
    '48'
    >>> configured_province({}, {"province": "Đà Nẵng"})
    'Đà Nẵng'
    >>> configured_province({}, {}) is None
    True
    """
    env = os.environ if env is None else env
    value = (env.get(ENV_VAR) or "").strip()
    if value:
        return value
    if secrets is None:
        raw = _secrets_province()
    else:
        raw = secrets.get(SECRETS_KEY)
    if raw is None or isinstance(raw, Mapping):
        return None
    value = str(raw).strip()
    return value or None


def _name_keys(text: str) -> set[str]:
    folded = fold(text)
    return {folded, strip_unit_prefix(folded)} - {""}


def resolve_province(value: object, choices: Sequence[Province]) -> str | None:
    """The code of the choice that ``value`` names (its code, or a name folded), else None.

    A name matches the Vietnamese or English name with or without ``Tỉnh`` /
    ``Thành phố`` (``etl.text.fold``: no case, no diacritics).

    >>> dn = Province("48", "Thành phố Đà Nẵng", "Da Nang City")
    >>> [resolve_province(v, [dn]) for v in ("48", "Đà Nẵng", "thanh pho da nang", "Da Nang City", "47", "")]
    ['48', '48', '48', '48', None, None]
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    for p in choices:
        if text == p.code:
            return p.code
    keys = _name_keys(text)
    for p in choices:
        names = _name_keys(p.name_vi) | (_name_keys(p.name_en) if p.name_en else set())
        if keys & names:
            return p.code
    return None


def choose_province(url_value: object, setting: object, choices: Sequence[Province]) -> Choice:
    """The province of this run: the URL's when valid, else the setting's, else the first choice.

    An unknown URL value is ignored (``notice=UNKNOWN_URL``); a setting the warehouse
    has no values for too (``UNKNOWN_SETTING``), unless the URL chose. With no choices
    at all (an empty warehouse) the province is None.

    >>> qn = Province("49", "Tỉnh Quảng Nam")
    >>> dn = Province("48", "Thành phố Đà Nẵng")
    >>> choose_province("48", "49", [dn, qn]).code, choose_province(None, "Quảng Nam", [dn, qn]).code
    ('48', '49')
    >>> c = choose_province("99", None, [dn, qn]); (c.code, c.notice, c.ignored)
    ('48', 'unknown_url', '99')
    """
    by_code = {p.code: p for p in choices}
    notice = ignored = None
    if url_value is not None and str(url_value).strip():
        code = resolve_province(url_value, choices)
        if code is not None:
            return Choice(by_code[code])
        notice, ignored = UNKNOWN_URL, str(url_value)
    if setting is not None and str(setting).strip():
        code = resolve_province(setting, choices)
        if code is not None:
            return Choice(by_code[code], notice, ignored)
        if notice is None:
            notice, ignored = UNKNOWN_SETTING, str(setting)
    return Choice(choices[0] if choices else None, notice, ignored)


# --------------------------------------------------------------------------- the warehouse's provinces
def province_choices(cur) -> pd.DataFrame:
    """Provinces that have values: their own rows, or rows of their child units.

    Columns: code, name_vi, name_en, valid_from, valid_to. Current provinces
    (``valid_to`` empty) first, then by Vietnamese name and code. Read from
    ``current_counts`` (one row per indicator, unit and period kind), never from
    the fact table.
    """
    return cur.execute(
        """WITH reporting AS (SELECT DISTINCT unit_code FROM current_counts),
           holders AS (
               SELECT u.code AS province FROM units u JOIN reporting r ON r.unit_code = u.code
               WHERE u.kind = 'province'
               UNION
               SELECT u.parent AS province FROM units u JOIN reporting r ON r.unit_code = u.code
               WHERE u.kind <> 'province' AND u.parent IS NOT NULL)
           SELECT p.code, p.name_vi, p.name_en, p.valid_from, p.valid_to
           FROM units p JOIN holders h ON h.province = p.code
           WHERE p.kind = 'province'
           ORDER BY CASE WHEN p.valid_to IS NULL THEN 0 ELSE 1 END, p.name_vi, p.code"""
    ).df()


def all_provinces(cur) -> pd.DataFrame:
    """Every province of the reference (values or not), as :func:`province_choices` orders them."""
    return cur.execute(
        """SELECT code, name_vi, name_en, valid_from, valid_to FROM units WHERE kind = 'province'
           ORDER BY CASE WHEN valid_to IS NULL THEN 0 ELSE 1 END, name_vi, code""").df()


def with_setting(choices: list["Province"], setting: object, known: Sequence["Province"]) -> list["Province"]:
    """The choices, with the configured province first when it has no values yet: a new
    deployment shows its own province (empty) rather than none, or another one.

    >>> ld = Province("68", "Tỉnh Lâm Đồng")
    >>> [p.code for p in with_setting([], "68", [ld])], [p.code for p in with_setting([ld], "68", [ld])]
    (['68'], ['68'])
    """
    if setting is None or not str(setting).strip() or resolve_province(setting, choices) is not None:
        return list(choices)
    code = resolve_province(setting, known)
    return [p for p in known if p.code == code] + list(choices) if code else list(choices)


def _date(value) -> date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    return pd.Timestamp(value).date()


def provinces_of(frame: pd.DataFrame) -> list[Province]:
    """The rows of :func:`province_choices` as :class:`Province` objects, in order."""
    out = []
    for row in frame.to_dict("records"):
        name_en = row.get("name_en")
        out.append(Province(str(row["code"]), str(row["name_vi"]),
                            name_en if isinstance(name_en, str) and name_en else None,
                            _date(row.get("valid_from")), _date(row.get("valid_to"))))
    return out


def default_province(cur, setting: object = None) -> str | None:
    """The setting's province when the warehouse holds it, else the first (the only) province.

    For the command line (``python -m etl report``): no URL, no notice.
    """
    return choose_province(None, setting, provinces_of(province_choices(cur))).code
