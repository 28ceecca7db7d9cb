"""Reference rows for one province's administrative units, built from `vietnamadminunits`.

The pinned package (1.0.4) ships, in its `data/` folder, the 34 provinces and
3,321 commune-level units in force since 2025-07-01 (`dataset.db`, table
`admin_units`), the 63 former provinces with their districts and former communes
(table `admin_units_legacy`) and `converter_2025.json`, which maps each former
commune to the new unit(s) it went into. That is the only source of units here:
no unit is typed by hand.

Keys (see data/reference/README.md): current units keep their plain GSO code;
former districts their plain 3-digit code; former communes `cu-<code>` (their codes
are reused by new units); former provinces their plain code unless a new province
reuses it, then `cu-<code>` (former Đà Nẵng is `cu-48`, Quảng Nam stays `49`).

>>> ref = build_province("da nang")          # doctest: +SKIP
>>> ref.code, len(ref.current_communes())    # doctest: +SKIP
('48', 94)

`load_dataset` is the only function that reads files; everything else is pure.
"""

from __future__ import annotations

import importlib.resources
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from etl.reference import FORMER_PREFIX
from etl.text import AliasIndex, clean, fold, strip_unit_prefix

UNIT_COLUMNS = ("code", "name_vi", "name_en", "kind", "parent", "aliases",
                "valid_from", "valid_to", "successor", "lat", "lon")
SUCCESSOR_COLUMNS = ("code", "successor", "is_default")

NEW_FROM = "2025-07-01"  # 34 provinces, two-level local government
OLD_TO = "2025-06-30"

# Vietnamese type -> (English type, abbreviations offices write, unit kind).
# Longest first in _TYPES_BY_LENGTH so that "Thị xã" is tried before "Xã".
TYPES = {
    "Tỉnh": ("Province", ("T.",), "province"),
    "Thành phố": ("City", ("TP.", "TP", "T.P"), "city"),
    "Thị xã": ("Town", ("TX.", "TX"), "town"),
    "Huyện": ("District", ("H.", "H"), "district"),
    "Quận": ("District", ("Q.", "Q"), "district"),
    "Phường": ("Ward", ("P.",), "commune"),
    "Xã": ("Commune", ("X.",), "commune"),
    "Thị trấn": ("Township", ("TT.", "TT"), "commune"),
    "Đặc khu": ("Special Zone", (), "commune"),
}
_TYPES_BY_LENGTH = sorted(TYPES, key=len, reverse=True)


class UnknownProvince(ValueError):
    """No current province has this code or name; `suggestions` are near matches."""

    def __init__(self, query: str, suggestions: list[str], merged_into: str | None = None):
        self.query, self.suggestions, self.merged_into = query, suggestions, merged_into
        hint = f" (đã nhập vào / merged into {merged_into})" if merged_into else ""
        near = "; ".join(suggestions) or "—"
        super().__init__(
            f"Không có tỉnh/thành phố “{query}”{hint}. Gần đúng: {near}\n"
            f"No current province “{query}”{hint}. Near matches: {near}"
        )


# ------------------------------------------------------------------ reading
@dataclass(frozen=True)
class Dataset:
    """The package's data, as plain dicts (text NFC-cleaned)."""

    current: tuple[dict, ...]  # admin_units rows
    legacy: tuple[dict, ...]  # admin_units_legacy rows
    converter: dict  # converter_2025.json


def data_dir() -> Path:
    """The installed package's data folder (wherever pip put it)."""
    return Path(str(importlib.resources.files("vietnamadminunits") / "data"))


def _rows(con: sqlite3.Connection, table: str) -> tuple[dict, ...]:
    con.row_factory = sqlite3.Row
    return tuple({k: clean(v) if isinstance(v, str) else v for k, v in dict(r).items()}
                 for r in con.execute(f"SELECT * FROM {table}"))  # noqa: S608 - fixed table names


@lru_cache(maxsize=2)
def load_dataset(directory: Path | None = None) -> Dataset:
    """Read `dataset.db` and `converter_2025.json` from `directory` (default: the package's)."""
    directory = directory or data_dir()
    con = sqlite3.connect(f"file:{directory / 'dataset.db'}?mode=ro", uri=True)
    try:
        current, legacy = _rows(con, "admin_units"), _rows(con, "admin_units_legacy")
    finally:
        con.close()
    converter = json.loads((directory / "converter_2025.json").read_text(encoding="utf-8"))
    return Dataset(current, legacy, converter)


# ------------------------------------------------------------------ naming
def split_type(name: str, fallback_type: str | None = None) -> tuple[str, str]:
    """`(type, short name)` read from the name's own prefix, case-insensitively.

    The name is trusted over the dataset's type column (four current units disagree
    with it) and over its short-name column (which adds "(Xã)" where names clash).

    >>> split_type('Thị Xã Mường Lay')
    ('Thị xã', 'Mường Lay')
    >>> split_type('Phường 1 Bảo Lộc')
    ('Phường', '1 Bảo Lộc')
    """
    lowered = name.lower()
    for t in _TYPES_BY_LENGTH:
        if lowered.startswith(t.lower() + " "):
            return t, name[len(t) + 1:].strip()
    return fallback_type or "", name


def ascii_name(text: str) -> str:
    """`text` without diacritics, case kept: 'Đà Nẵng' -> 'Da Nang'."""
    import unicodedata

    s = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def english_name(type_vi: str, short: str) -> str:
    """'Hai Chau Ward', 'Tam Ky City'; a short name starting with a digit goes after: 'Ward 1'."""
    en = TYPES[type_vi][0] if type_vi in TYPES else ""
    short_en = ascii_name(short)
    if not en:
        return short_en
    return f"{en} {short_en}" if short_en[:1].isdigit() else f"{short_en} {en}"


def aliases(type_vi: str, short: str, parent: tuple[str, str] | None = None) -> list[str]:
    """Spellings offices write for a unit: short name, abbreviated type, `UBND …`.

    `parent` = (type, short) of a former commune's district adds the
    "commune, district" forms.

    >>> aliases('Thành phố', 'Tam Kỳ')
    ['Tam Kỳ', 'TP. Tam Kỳ', 'TP Tam Kỳ', 'UBND thành phố Tam Kỳ']
    >>> aliases('Xã', 'Tam Thăng', ('Thành phố', 'Tam Kỳ'))[-4:]
    ['Xã Tam Thăng, Thành phố Tam Kỳ', 'Xã Tam Thăng, TP. Tam Kỳ', 'Xã Tam Thăng, TP Tam Kỳ', 'Tam Thăng - Tam Kỳ']
    """
    abbrs = TYPES.get(type_vi, ("", ()))[1]
    out = [] if short[:1].isdigit() else [short]  # a bare "1" would match row numbers
    out += [f"{a} {short}" for a in abbrs]
    if type_vi:
        out.append(f"UBND {type_vi.lower()} {short}")
    if parent:
        p_type, p_short = parent
        full = f"{type_vi} {short}".strip()
        out.append(f"{full}, {p_type} {p_short}".replace(" ,", ","))
        out += [f"{full}, {a} {p_short}" for a in TYPES.get(p_type, ("", ()))[1]]
        out.append(f"{short} - {p_short}")
    seen: list[str] = []
    for a in out:
        if a not in seen:
            seen.append(a)
    return seen


def _coord(value) -> str:
    return "" if value is None else repr(float(value))


def former_province_key(code: str, new_codes: set[str]) -> str:
    """A former province's key: its code, or `cu-<code>` when a new province reuses it."""
    return FORMER_PREFIX + code if code in new_codes else code


# ------------------------------------------------------------------ provinces
@dataclass(frozen=True)
class Province:
    code: str
    key: str  # the package's key, e.g. 'thanhphodanang'
    name: str
    short: str


def provinces(ds: Dataset) -> list[Province]:
    seen: dict[str, Province] = {}
    for r in ds.current:
        seen.setdefault(r["provinceCode"], Province(r["provinceCode"], r["provinceKey"], r["province"], r["provinceShort"]))
    return sorted(seen.values(), key=lambda p: p.code)


def find_province(query: str, ds: Dataset) -> Province:
    """The current province for a code ('48', '048'), name, short name or folded name.

    Raises :class:`UnknownProvince` with near matches (and, for a former province,
    the province it merged into).
    """
    text = clean(query)
    by_code = {p.code: p for p in provinces(ds)}
    if text.isdigit() and text.zfill(2)[-2:] in by_code and len(text.lstrip("0")) <= 2:
        return by_code[text.zfill(2)[-2:]]
    index = AliasIndex([(p.code, n) for p in by_code.values() for n in (p.name, p.short)], strip_prefixes=True)
    code = index.match(text)
    if code:
        return by_code[code]
    merged_into = None
    old_to_new = {old: new for new, olds in ds.converter["DICT_PROVINCE"].items() for old in olds}
    for r in ds.legacy:
        if text == r["provinceCode"] or strip_unit_prefix(fold(text)) in {
                strip_unit_prefix(fold(r["province"])), fold(r["provinceShort"])}:
            new = next(p for p in by_code.values() if p.key == old_to_new[r["provinceKey"]])
            merged_into = f"{new.code} {new.name}"
            break
    raise UnknownProvince(query, index.suggest(text), merged_into)


# ------------------------------------------------------------------ building
@dataclass
class ProvinceReference:
    """The rows of units.csv and unit_successors.csv for one current province."""

    province: Province
    units: list[dict] = field(default_factory=list)
    successors: list[dict] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.province.code

    def of_kind(self, *kinds: str) -> list[dict]:
        return [u for u in self.units if u["kind"] in kinds]

    def current_communes(self) -> list[dict]:
        return [u for u in self.of_kind("commune") if u["valid_from"] == NEW_FROM]


def _unit(code, name_vi, name_en, kind, parent="", alias_list=(), valid_from="", valid_to="",
          successor="", lat=None, lon=None) -> dict:
    alias_list = [a for a in alias_list if a != name_vi]
    return {"code": code, "name_vi": name_vi, "name_en": name_en, "kind": kind, "parent": parent,
            "aliases": "|".join(alias_list), "valid_from": valid_from, "valid_to": valid_to,
            "successor": successor, "lat": _coord(lat), "lon": _coord(lon)}


def _successor_map(ds: Dataset, new_key: str) -> dict[str, list[tuple[str, bool]]]:
    """Former 'province_district_ward' key -> [(new ward key, is_default)] within one new province."""
    out: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for ward_key, olds in ds.converter["DICT_PROVINCE_WARD_NO_DIVIDED"].get(new_key, {}).items():
        for old in olds:
            out[old].append((ward_key, True))
    for old, news in ds.converter["DICT_PROVINCE_WARD_DIVIDED"].get(new_key, {}).items():
        for n in news:
            out[old].append((n["newWardKey"], bool(n["isDefaultNewWard"])))
    return out


def build_province(query: str, ds: Dataset | None = None) -> ProvinceReference:
    """Every geographic unit of one current province, before and after 2025-07-01.

    Rows: the province; its former province(s); their districts; their former
    communes; its current communes (Phường / Xã / Đặc khu). Successor rows: each
    former commune -> every new unit it went into (one default), each former
    province -> the new one, and each island district that had no communes -> its
    special zone (the converter maps it directly).
    """
    ds = ds or load_dataset()
    prov = find_province(query, ds)
    new_codes = {p.code for p in provinces(ds)}
    current = sorted((r for r in ds.current if r["provinceCode"] == prov.code), key=lambda r: r["wardCode"])
    ward_code = {r["wardKey"]: r["wardCode"] for r in current}
    old_keys = set(ds.converter["DICT_PROVINCE"][prov.key])
    legacy = [r for r in ds.legacy if r["provinceKey"] in old_keys]
    succ = _successor_map(ds, prov.key)

    ref = ProvinceReference(prov)
    first = current[0]
    p_type, p_short = split_type(prov.name)
    ref.units.append(_unit(prov.code, prov.name, english_name(p_type, p_short), "province", "",
                           aliases(p_type, p_short), NEW_FROM, lat=first["provinceLat"], lon=first["provinceLon"]))

    former_provinces: dict[str, dict] = {}
    districts: dict[str, dict] = {}
    communes: list[dict] = []
    for r in legacy:
        pkey = former_province_key(r["provinceCode"], new_codes)
        if pkey not in former_provinces:
            t, s = split_type(r["province"])
            former_provinces[pkey] = _unit(pkey, r["province"], english_name(t, s), "province", "", aliases(t, s),
                                           "", OLD_TO, prov.code, r["provinceLat"], r["provinceLon"])
            ref.successors.append({"code": pkey, "successor": prov.code, "is_default": "true"})
        d_type, d_short = split_type(r["district"], r["districtType"])
        if r["districtCode"] not in districts:
            districts[r["districtCode"]] = _unit(
                r["districtCode"], f"{d_type} {d_short}", english_name(d_type, d_short), TYPES[d_type][2], pkey,
                aliases(d_type, d_short), "", OLD_TO, "", r["districtLat"], r["districtLon"])
        old_key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        targets = sorted(((ward_code[k], d) for k, d in succ.get(old_key, [])), key=lambda x: (not x[1], x[0]))
        if not targets:
            raise ValueError(f"converter_2025.json has no new unit for {old_key}")
        default = next(c for c, d in targets if d)
        if r["ward"] is None:  # an island district without communes became a special zone
            districts[r["districtCode"]]["successor"] = default
            owner = r["districtCode"]
        else:
            w_type, w_short = split_type(r["ward"], r["wardType"])
            owner = FORMER_PREFIX + r["wardCode"]
            communes.append(_unit(owner, f"{w_type} {w_short}", english_name(w_type, w_short), "former_commune",
                                  r["districtCode"], aliases(w_type, w_short, (d_type, d_short)), "", OLD_TO,
                                  default, r["wardLat"], r["wardLon"]))
        ref.successors += [{"code": owner, "successor": c, "is_default": "true" if d else "false"} for c, d in targets]

    ref.units += sorted(former_provinces.values(), key=lambda u: u["code"].removeprefix(FORMER_PREFIX))
    ref.units += sorted(districts.values(), key=lambda u: u["code"])
    ref.units += sorted(communes, key=lambda u: (u["parent"], u["code"]))
    for r in current:
        t, s = split_type(r["ward"], r["wardType"])
        ref.units.append(_unit(r["wardCode"], r["ward"], english_name(t, s), "commune", prov.code, aliases(t, s),
                               NEW_FROM, lat=r["wardLat"], lon=r["wardLon"]))
    ref.successors.sort(key=lambda s: (s["code"], s["is_default"] != "true", s["successor"]))
    return ref


def department_units(departments: list[dict], parent: str) -> list[dict]:
    """departments.csv rows as units.csv rows (kind `department`, attached to `parent`)."""
    return [_unit(d["code"], d["name_vi"], d["name_en"], "department", parent,
                  [a for a in d["aliases"].split("|") if a], d["valid_from"], d["valid_to"], d["successor"])
            for d in departments]
