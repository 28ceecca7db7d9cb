"""The reference catalogues (indicators, units, breakdowns) and name matching.

The CSV files in `data/reference/` are the single source; the warehouse copies
them into its `indicators`, `units` and `breakdowns` tables at every start.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from etl.text import AliasIndex, clean, fold

# $DX_REFERENCE_DIR names another catalogue folder (e.g. the synthetic national one of etl.synth)
# Administrative level of a unit kind, highest first (Catalogue.match_unit)
_LEVEL = {"province": 0, "city": 1, "town": 1, "district": 1, "commune": 2, "former_commune": 2}
# Key prefix of a former unit whose GSO code a current unit reuses (etl/admin_units.py)
FORMER_PREFIX = "cu-"
REFERENCE_DIR = Path(os.environ.get("DX_REFERENCE_DIR") or Path(__file__).resolve().parent.parent / "data" / "reference")


@dataclass(frozen=True)
class Indicator:
    code: str
    name_vi: str
    name_en: str
    unit: str  # count | percent | yesno | score
    aggregation: str  # sum | ratio | share | latest
    direction: str  # up | down | neutral

    @property
    def is_ratio(self) -> bool:
        return self.aggregation == "ratio"


@dataclass(frozen=True)
class Unit:
    code: str
    name_vi: str
    kind: str
    parent: str | None
    valid_from: date | None
    valid_to: date | None
    successor: str | None

    def exists_during(self, start: date, end: date) -> bool:
        """A unit may report a period that overlaps its life; a period entirely
        before its creation or after its end is an error."""
        if self.valid_from and end < self.valid_from:
            return False
        if self.valid_to and start > self.valid_to:
            return False
        return True


def _date_or_none(text: str) -> date | None:
    text = (text or "").strip()
    return date.fromisoformat(text) if text else None


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: clean(v) for k, v in row.items()} for row in csv.DictReader(handle)]


@dataclass(frozen=True)
class HeaderAlias:
    indicator_code: str
    role: str  # value | numerator | denominator
    alias: str
    tokens: tuple[str, ...]


def _is_subsequence(needle: tuple[str, ...], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(token in it for token in needle)


class Catalogue:
    """Everything the ETL needs to know about codes and names, read once."""

    def __init__(self, directory: Path = REFERENCE_DIR):
        self.directory = directory
        self.indicator_rows = _read_csv(directory / "indicators.csv")
        self.unit_rows = _read_csv(directory / "units.csv")
        self.breakdown_rows = _read_csv(directory / "breakdowns.csv")
        alias_rows = _read_csv(directory / "indicator_aliases.csv")

        self.indicators = {
            r["code"]: Indicator(
                r["code"], r["name_vi"], r["name_en"], r["unit"], r["aggregation"], r["direction"]
            )
            for r in self.indicator_rows
        }
        self.units = {
            r["code"]: Unit(
                r["code"],
                r["name_vi"],
                r["kind"],
                r["parent"] or None,
                _date_or_none(r["valid_from"]),
                _date_or_none(r["valid_to"]),
                r["successor"] or None,
            )
            for r in self.unit_rows
        }
        # optional: every successor of a divided former commune (one default), see README
        self._successors: dict[str, list[tuple[str, bool]]] = {}
        successors_csv = directory / "unit_successors.csv"
        if successors_csv.exists():
            for r in _read_csv(successors_csv):
                self._successors.setdefault(r["code"], []).append((r["successor"], r["is_default"] == "true"))
            for pairs in self._successors.values():
                pairs.sort(key=lambda pair: (not pair[1], pair[0]))

        # spellings with their diacritics: "Xã Tam Thạnh" and "Xã Tam Thanh" fold alike, but are two communes
        self._unit_marked: dict[str, set[str]] = {}
        for r in self.unit_rows:
            for spelling in [r["name_vi"], *r["aliases"].split("|")]:
                if spelling.strip():
                    self._unit_marked.setdefault(clean(spelling).casefold(), set()).add(r["code"])
        unit_pairs = []
        for r in self.unit_rows:
            unit_pairs += [(r["code"], r["code"]), (r["code"], r["name_vi"]), (r["code"], r["name_en"])]
            if r["code"].startswith(FORMER_PREFIX):  # a former unit is also written by its GSO code
                unit_pairs.append((r["code"], r["code"][len(FORMER_PREFIX):]))
            unit_pairs += [(r["code"], a) for a in r["aliases"].split("|") if a.strip()]
        self.unit_index = AliasIndex(unit_pairs, strip_prefixes=True)

        indicator_pairs = []
        for r in self.indicator_rows:
            indicator_pairs += [(r["code"], r["code"]), (r["code"], r["name_vi"]), (r["code"], r["name_en"])]
        indicator_pairs += [(a["indicator_code"], a["alias"]) for a in alias_rows if a["role"] == "value"]
        self.indicator_index = AliasIndex(indicator_pairs, strip_prefixes=False)

        self.header_aliases = [
            HeaderAlias(a["indicator_code"], a["role"], a["alias"], tuple(fold(a["alias"]).split()))
            for a in alias_rows
        ] + [
            HeaderAlias(r["code"], "value", r["name_vi"], tuple(fold(r["name_vi"]).split()))
            for r in self.indicator_rows
        ]

        breakdown_pairs = []
        for r in self.breakdown_rows:
            key = f"{r['dimension']}:{r['code']}"
            breakdown_pairs += [(key, key), (key, r["code"]), (key, r["name_vi"]), (key, r["name_en"])]
            breakdown_pairs += [(key, a) for a in r.get("aliases", "").split("|") if a.strip()]
        self.breakdown_index = AliasIndex(breakdown_pairs, strip_prefixes=False)

    def successors(self, code: str) -> list[tuple[str, bool]]:
        """The units `code` went into, as `(code, is_default)`, the default first.

        From unit_successors.csv when it lists `code`, else the `successor` column of
        units.csv (one default), else `[]`.

        >>> Catalogue().successors("STTTT")
        [('SKHCN', True)]
        """
        if code in self._successors:
            return list(self._successors[code])
        unit = self.units.get(code)
        return [(unit.successor, True)] if unit and unit.successor else []

    def match_unit(self, text: str, start: date | None = None, end: date | None = None) -> str | None:
        """The unit `text` names in the period `start`–`end`.

        Names and codes are reused across the 2025 reform: "Phường Hải Châu" or
        "20194" is a former commune before 2025-07-01 and a new unit after. Among
        the units a text may stand for, the one that existed in the period wins;
        a text with one candidate is that unit whatever the period (validation
        then says it did not exist, and names its successors).
        """
        codes = self.unit_index.candidates(text)
        if len(codes) > 1:  # the same name with its diacritics narrows it down
            marked = self._unit_marked.get(clean(text).casefold(), set())
            codes = tuple(c for c in codes if c in marked) or codes
        if len(codes) <= 1:
            return codes[0] if codes else None
        if start is None or end is None:
            return None
        living = [c for c in codes if self.units[c].exists_during(start, end)]
        if len(living) > 1:
            # "Núi Thành" in 2024 is the district and its township: a bare name is the higher
            # level (a report of townships writes "TT Núi Thành", an exact spelling of its own)
            top = min(_LEVEL.get(self.units[c].kind, 9) for c in living)
            living = [c for c in living if _LEVEL.get(self.units[c].kind, 9) == top]
        if not living:  # reported after it ceased: the unit that ceased last, so validation names its successors
            ceased = [c for c in codes if self.units[c].valid_to and self.units[c].valid_to < start]
            living = [c for c in ceased if self.units[c].valid_to == max(self.units[x].valid_to for x in ceased)]
        return living[0] if len(living) == 1 else None

    def is_unit_name(self, text: str) -> bool:
        """Whether `text` names some unit, in some period."""
        return bool(self.unit_index.candidates(text))

    def unit_depends_on_period(self, text: str) -> bool:
        """Whether `text` names several units, one per period (see `match_unit`)."""
        return len(self.unit_index.candidates(text)) > 1

    def match_header(self, label: str) -> HeaderAlias | None:
        """The indicator part a wide-report column header stands for.

        An alias matches when all its folded words appear, in order, among the
        words of the column's header path; the alias with most words wins, so
        'Kết quả giải quyết Đúng hạn' beats a bare 'Đúng hạn'.
        """
        words = fold(label).split()
        best: HeaderAlias | None = None
        for alias in self.header_aliases:
            if alias.tokens and _is_subsequence(alias.tokens, words):
                if best is None or len(alias.tokens) > len(best.tokens):
                    best = alias
        return best

    def suggest_indicator_for_header(self, label: str) -> list[str]:
        return self.indicator_index.suggest(label)


@lru_cache(maxsize=4)
def load_catalogue(directory: Path = REFERENCE_DIR) -> Catalogue:
    return Catalogue(directory)
