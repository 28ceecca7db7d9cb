"""`python -m etl reference --province 48 [--province 92] [--out DIR]`: a reference folder for provinces.

Writes DIR/units.csv (each province's units before and after 2025-07-01, built by
etl.admin_units from the pinned `vietnamadminunits`, then the departments of
data/reference/departments.csv attached to the first province) and
DIR/unit_successors.csv; when DIR is not data/reference it also copies
indicators.csv, indicator_aliases.csv and breakdowns.csv, so that
`etl.reference.Catalogue(DIR)` (or DX_REFERENCE_DIR=DIR) can open it.

Without --out this overwrites data/reference/units.csv: do that only once name
matching knows which period a unit belongs to.
"""

from __future__ import annotations

import csv
import shutil
import sys
from collections import Counter
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"
COPIED = ("indicators.csv", "indicator_aliases.csv", "breakdowns.csv")
EXIT_OK, EXIT_USAGE = 0, 2


def register(sub, add) -> None:
    p = add("reference", cmd_reference,
            "Tạo danh mục đơn vị hành chính của tỉnh / write a province's reference units")
    p.add_argument("--province", required=True, action="append",
                   help="mã hoặc tên tỉnh mới / code or name of a current province (48, 'Đà Nẵng'); repeatable")
    p.add_argument("--departments-of", default=None,
                   help="tỉnh có các sở trong departments.csv / the province (current or former key) the departments "
                        "of departments.csv belong to (default: the first --province)")
    p.add_argument("--out", default=str(SOURCE_DIR), help="thư mục đích / output folder (default: %(default)s)")


def _write(path: Path, columns, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_reference(provinces: list[str], out: Path, source: Path = SOURCE_DIR,
                    departments_of: str | None = None) -> dict[str, Counter]:
    """Build and write the folder; returns the unit kinds counted per province code.

    Raises etl.admin_units.UnknownProvince before writing anything.
    """
    from etl import admin_units
    from etl.reference import _read_csv

    ds = admin_units.load_dataset()
    refs = [admin_units.build_province(p, ds) for p in provinces]
    units = [u for ref in refs for u in ref.units]
    parent = departments_of or refs[0].code
    if parent not in {u["code"] for u in units}:
        raise admin_units.UnknownProvince(parent, sorted(u["code"] for u in units if u["kind"] == "province"))
    departments = admin_units.department_units(_read_csv(source / "departments.csv"), parent)
    units, departments = apply_amendments(units, departments, _read_csv(source / "unit_amendments.csv")
                                          if (source / "unit_amendments.csv").exists() else [])
    successors = sorted((s for ref in refs for s in ref.successors),
                        key=lambda s: (s["code"], s["is_default"] != "true", s["successor"]))
    codes = Counter(u["code"] for u in units + departments)
    duplicated = sorted(c for c, n in codes.items() if n > 1)
    if duplicated:
        raise ValueError(f"duplicate unit keys: {duplicated[:10]}")

    out.mkdir(parents=True, exist_ok=True)
    _write(out / "units.csv", admin_units.UNIT_COLUMNS, units + departments)
    _write(out / "unit_successors.csv", admin_units.SUCCESSOR_COLUMNS, successors)
    if out.resolve() != source.resolve():
        for name in COPIED:
            shutil.copyfile(source / name, out / name)
    counts = {ref.code: Counter(u["kind"] for u in ref.units) for ref in refs}
    counts["departments"] = Counter(department=len(departments))
    counts["unit_successors"] = Counter(rows=len(successors))
    return counts


def apply_amendments(units: list[dict], departments: list[dict], amendments: list[dict]):
    """Facts the dataset lacks, each with its legal source (data/reference/unit_amendments.csv).

    A row whose code is built already adds its aliases and overrides the fields it
    fills; a new row (a unit the dataset no longer lists, such as a district merged
    before 2025) is added when its parent is among the built units.
    """
    by_code = {u["code"]: u for u in units + departments}
    added = []
    for row in amendments:
        fields = {k: v for k, v in row.items() if k != "source" and v}
        target = by_code.get(row["code"])
        if target is None:
            if row.get("parent") in by_code:
                new = {k: row.get(k, "") for k in units[0]}
                added.append(new)
                by_code[new["code"]] = new
            continue
        aliases = [a for a in target["aliases"].split("|") if a]
        aliases += [a for a in fields.pop("aliases", "").split("|") if a and a not in aliases]
        target.update(fields, aliases="|".join(aliases))
    return units + added, departments


def cmd_reference(args) -> int:
    from etl.admin_units import UnknownProvince

    out = Path(args.out)
    try:
        counts = write_reference(args.province, out, departments_of=args.departments_of)
    except UnknownProvince as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    for key, kinds in counts.items():
        print(f"{key}: " + ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items())))
    print(f"Đã ghi / written: {out / 'units.csv'}, {out / 'unit_successors.csv'}")
    return EXIT_OK
