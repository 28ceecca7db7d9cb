"""What the upload and history pages do, as plain functions (tested without Streamlit).

    review = review_upload(cur, data, "bc.xlsx", period_text="Tháng 5/2025")
    review.ok, review.check.sheets, review.preview, problems_table(review.problems, "vi")
    result = commit(wh, review, who="lan")        # the only write: one load_bytes

Nothing is written until `commit`; `review_upload` reads the file and compares
its values with the warehouse through the cursor it is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from etl import problems as P
from etl.layouts import ROLES, SheetLayout
from etl.loader import FileCheck, LoadResult, check_bytes, file_hash, load_bytes
from etl.periods import Period, PeriodError, parse_period
from etl.preview import count_changes, preview_changes
from etl.readers import extension_of
from etl.warehouse import Warehouse, archive_dir

MAX_UPLOAD_MB = 20  # also server.maxUploadSize in .streamlit/config.toml
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
ACCEPTED_EXTENSIONS = (".csv", ".xlsx", ".xls", ".txt")
IGNORE = ""  # the column-mapping choice "ignore this column"


@dataclass
class Review:
    """One uploaded file, read and compared with the warehouse, not yet loaded."""

    check: FileCheck
    data: bytes = field(repr=False)
    period_text: str = ""
    period: Period | None = None
    column_map: dict = field(default_factory=dict)  # only the corrections (differs from detected)
    extra_problems: list[P.Problem] = field(default_factory=list)
    preview: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def file_name(self) -> str:
        return self.check.file_name

    @property
    def problems(self) -> list[P.Problem]:
        return self.extra_problems + self.check.problems

    @property
    def ok(self) -> bool:
        return not P.has_errors(self.problems)

    @property
    def counts(self) -> dict[str, int]:
        return count_changes(self.preview) if len(self.preview) else {"new": 0, "changed": 0, "unchanged": 0}


def _refused(data: bytes, name: str, problem: P.Problem) -> FileCheck:
    return FileCheck(name, file_hash(data), len(data), None, [], [problem])


def review_upload(cur, data: bytes, file_name: str, period_text: str = "", column_map: dict | None = None,
                  today: date | None = None) -> Review:
    """Read, validate and preview one file; never raises for bad content, writes nothing.

    `period_text` (as typed, e.g. "Tháng 5/2025") becomes the period override;
    `column_map` ({letter: (indicator_code, role) | None}) corrects a wide
    report's columns. The review keeps only the entries that differ from what
    was detected, which is what a commit records.
    """
    name = Path(file_name).name
    extra: list[P.Problem] = []
    period = None
    if period_text.strip():
        try:
            period = parse_period(period_text)
        except PeriodError:
            extra.append(P.make("bad_period", file=name, value=period_text.strip(),
                                expected="Tháng 3/2024, Quý I/2024, 2024-03 …"))
    if len(data) > MAX_UPLOAD_BYTES:
        check = _refused(data, name, P.make("file_too_large", file=name,
                                            value=f"{len(data) / 1024 / 1024:.1f} MB > {MAX_UPLOAD_MB} MB"))
    elif extension_of(name) not in ACCEPTED_EXTENSIONS:
        check = _refused(data, name, P.make("unsupported_type", file=name,
                                            value=extension_of(name) or name))
    else:
        check = check_bytes(data, name, period=period, today=today, column_map=column_map or None)
    corrections = {}
    for sheet in check.sheets:
        for col in sheet.columns:
            if column_map and col.letter in column_map and column_map[col.letter] != col.detected:
                corrections[col.letter] = column_map[col.letter]
    if column_map and corrections != column_map:
        # check exactly what a commit will load (choices equal to the detected ones are no corrections)
        check = check_bytes(data, name, period=period, today=today, column_map=corrections or None)
    review = Review(check, data, period_text.strip(), period, corrections, extra)
    if review.ok:
        review.preview = preview_changes(cur, check.values)
    return review


def commit(wh: Warehouse, review: Review, who: str) -> LoadResult:
    """Load the reviewed file (one transaction) as `who`; the only write here."""
    if not review.ok:
        return LoadResult(review.file_name, "invalid", problems=review.problems)
    return load_bytes(wh, review.data, review.file_name, who, review.period,
                      column_map=review.column_map or None)


# ------------------------------------------------------------------ tables for the page
def problems_table(problems: list[P.Problem], lang: str) -> pd.DataFrame:
    """The validation report: file, sheet, row, column, value, problem (in `lang`), severity."""
    return pd.DataFrame({
        "file": [p.file for p in problems],
        "sheet": pd.array([p.sheet for p in problems], dtype="string"),
        "row": pd.array([p.row for p in problems], dtype="Int64"),
        "column": pd.array([p.column for p in problems], dtype="string"),
        "value": pd.array([p.value for p in problems], dtype="string"),
        "problem": [p.message(lang) for p in problems],
        "severity": [p.severity for p in problems],
    })


def role_options(catalogue) -> list[str]:
    """Choices of a column-mapping selectbox: IGNORE, then 'code|role' for every indicator part."""
    return [IGNORE] + [f"{code}|{role}" for code in catalogue.indicators for role in ROLES]


def encode_choice(choice: tuple[str, str] | None) -> str:
    return IGNORE if choice is None else f"{choice[0]}|{choice[1]}"


def decode_choice(text: str) -> tuple[str, str] | None:
    if not text:
        return None
    code, _, role = text.partition("|")
    return (code, role)


def wide_columns(sheets: list[SheetLayout]):
    """Each wide column once (first sheet wins), in letter order of appearance."""
    seen = {}
    for sheet in sheets:
        for col in sheet.columns:
            seen.setdefault(col.letter, col)
    return list(seen.values())


def load_history(cur) -> pd.DataFrame:
    """Every load, newest first, with what the history page shows."""
    return cur.execute(
        """SELECT load_id, file_name, loaded_by, loaded_at, rows, warnings, status,
                  undone_at, undone_by, archive_path, period_override
           FROM loads ORDER BY load_id DESC"""
    ).df()


def original_file(db_path: Path, archive_name: str | None) -> bytes | None:
    """The archived original of a load, or None when it is not in the archive."""
    if not archive_name or "/" in archive_name or "\\" in archive_name:
        return None
    path = archive_dir(Path(db_path)) / archive_name
    return path.read_bytes() if path.is_file() else None
