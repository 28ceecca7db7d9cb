"""Problems found in a report file: one record each, in Vietnamese and English.

A problem is a value with fields (file, sheet, row, column, value, expected) so
that the CLI can print it, the upload page can show it as a table row, and tests
can assert on its `code` rather than on wording.

>>> p = make("unknown_unit", file="a.csv", row=4, column="B (Đơn vị)", value="Tam Ky x")
>>> p.is_error, p.code
(True, 'unknown_unit')
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"

# code -> (severity, Vietnamese template, English template). Templates may use
# {value}, {expected} and any extra keyword passed to make().
MESSAGES: dict[str, tuple[str, str, str]] = {
    "unreadable_file": (ERROR, "Không đọc được tệp: {detail}", "The file cannot be read: {detail}"),
    "unsupported_type": (
        ERROR,
        "Loại tệp “{value}” không được hỗ trợ",
        "File type “{value}” is not supported",
    ),
    "file_too_large": (ERROR, "Tệp quá lớn ({value})", "The file is too large ({value})"),
    "too_many_columns": (
        ERROR,
        "Dòng có quá nhiều cột ({value})",
        "The row has too many columns ({value})",
    ),
    "cell_too_long": (
        ERROR,
        "Một ô dài hơn giới hạn {value} ký tự",
        "A cell is longer than the limit of {value} characters",
    ),
    "sheet_too_large": (
        ERROR,
        "Trang tính khai báo quá nhiều ô ({value})",
        "The sheet declares too many cells ({value})",
    ),
    "empty_file": (ERROR, "Tệp không có dữ liệu", "The file holds no data"),
    "no_layout": (
        ERROR,
        "Không nhận ra bố cục báo cáo: cần cột Đơn vị và các cột chỉ tiêu, hoặc mẫu dọc",
        "The report layout is not recognised: a unit column and indicator columns, "
        "or the long template, are needed",
    ),
    "no_values": (
        ERROR,
        "Không có dòng số liệu nào",
        "No data rows were found",
    ),
    "missing_column": (
        ERROR,
        "Thiếu cột “{value}”",
        "Column “{value}” is missing",
    ),
    "no_period": (
        ERROR,
        "Không xác định được kỳ báo cáo: ghi kỳ trong tiêu đề, trong cột Kỳ báo cáo, hoặc dùng --period",
        "The reporting period is not stated: put it in the title, in a period column, or use --period",
    ),
    "period_conflict": (
        ERROR,
        "Kỳ báo cáo trong tệp ({value}) khác với kỳ đã chọn ({expected})",
        "The period in the file ({value}) differs from the period given ({expected})",
    ),
    "bad_period": (ERROR, "Kỳ báo cáo “{value}” không hợp lệ", "Invalid period “{value}”"),
    "future_period": (
        ERROR,
        "Kỳ báo cáo {value} chưa bắt đầu",
        "Period {value} has not started yet",
    ),
    "unknown_unit": (ERROR, "Không tìm thấy đơn vị “{value}”{hint_vi}", "Unknown unit “{value}”{hint_en}"),
    "unit_code_mismatch": (
        ERROR,
        "Mã đơn vị “{value}” là {code_unit}, nhưng tên đơn vị là “{name}”",
        "Unit code “{value}” is {code_unit}, but the unit's name is “{name}”",
    ),
    "unit_not_in_period": (
        ERROR,
        "Đơn vị “{value}” không tồn tại trong kỳ {period}{hint_vi}",
        "Unit “{value}” did not exist in period {period}{hint_en}",
    ),
    "unknown_indicator": (
        ERROR,
        "Không tìm thấy chỉ tiêu “{value}”{hint_vi}",
        "Unknown indicator “{value}”{hint_en}",
    ),
    "unmapped_column": (
        WARNING,
        "Cột “{value}” không khớp chỉ tiêu nào nên được bỏ qua{hint_vi}",
        "Column “{value}” matches no indicator and is ignored{hint_en}",
    ),
    "duplicate_column": (
        ERROR,
        "Hai cột cùng là {expected}: “{value}”",
        "Two columns are both {expected}: “{value}”",
    ),
    "unknown_breakdown": (
        ERROR,
        "Không tìm thấy phân tổ “{value}”{hint_vi}",
        "Unknown breakdown “{value}”{hint_en}",
    ),
    "bad_number": (ERROR, "“{value}” không phải là số", "“{value}” is not a number"),
    "bad_yesno": (ERROR, "“{value}” không phải là Có/Không", "“{value}” is not yes or no"),
    "missing_value": (
        ERROR,
        "Thiếu giá trị (hoặc tử số và mẫu số)",
        "The value (or numerator and denominator) is missing",
    ),
    "percent_out_of_range": (
        ERROR,
        "Tỷ lệ {value} nằm ngoài 0–100",
        "Percentage {value} is outside 0–100",
    ),
    "negative_count": (ERROR, "Số lượng âm: {value}", "Negative count: {value}"),
    "fractional_count": (
        ERROR,
        "Số lượng phải là số nguyên: {value}",
        "A count must be a whole number: {value}",
    ),
    "score_out_of_range": (ERROR, "Điểm {value} nằm ngoài {expected}", "Score {value} is outside {expected}"),
    "numerator_above_denominator": (
        ERROR,
        "Tử số {value} lớn hơn mẫu số {expected}",
        "Numerator {value} is above the denominator {expected}",
    ),
    "zero_denominator": (
        ERROR,
        "Mẫu số bằng 0 nhưng tử số là {value}",
        "The denominator is 0 but the numerator is {value}",
    ),
    "rate_mismatch": (
        ERROR,
        "Tỷ lệ ghi {value} nhưng tử số/mẫu số cho {expected}",
        "The rate says {value} but numerator/denominator give {expected}",
    ),
    "totals_mismatch": (
        ERROR,
        "Dòng tổng ghi {value} nhưng cộng các đơn vị được {expected}",
        "The totals row says {value} but the units add up to {expected}",
    ),
    "breakdown_total_mismatch": (
        ERROR,
        "Tổng {value} khác tổng các phân tổ {expected}",
        "Total {value} differs from the sum of its breakdown {expected}",
    ),
    "duplicate_row": (
        ERROR,
        "Trùng với dòng {first_row}: cùng chỉ tiêu, đơn vị, kỳ và phân tổ",
        "Duplicates row {first_row}: same indicator, unit, period and breakdown",
    ),
    "percent_as_fraction": (
        WARNING,
        "Cột tỷ lệ ghi dạng phân số (0–1): đã nhân 100",
        "The rate column holds fractions (0–1): multiplied by 100",
    ),
    "number_interpretation": (
        WARNING,
        "Đã hiểu “{value}” là {expected}",
        "Read “{value}” as {expected}",
    ),
    "large_change": (
        WARNING,
        "Thay đổi lớn so với kỳ trước: {expected} → {value}",
        "Large change since the previous period: {expected} → {value}",
    ),
}


@dataclass(frozen=True)
class Problem:
    code: str
    severity: str
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    expected: str | None
    message_vi: str
    message_en: str

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi

    def where(self) -> str:
        """`file › sheet › row 4 › column B` — the place, for printing."""
        parts = [self.file]
        if self.sheet:
            parts.append(self.sheet)
        if self.row is not None:
            parts.append(f"dòng/row {self.row}")
        if self.column:
            parts.append(f"cột/column {self.column}")
        return " › ".join(parts)

    def as_dict(self) -> dict:
        return asdict(self)


def suggestion_hints(suggestions: list[str]) -> dict[str, str]:
    """The ` (gần nhất: …)` tails of an unknown-name message."""
    if not suggestions:
        return {"hint_vi": "", "hint_en": ""}
    names = ", ".join(f"“{s}”" for s in suggestions)
    return {"hint_vi": f" (gần nhất: {names})", "hint_en": f" (closest: {names})"}


def make(
    code: str,
    *,
    file: str = "",
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value=None,
    expected=None,
    severity: str | None = None,
    **fmt,
) -> Problem:
    default_severity, vi, en = MESSAGES[code]
    fields = {"value": "" if value is None else value, "expected": "" if expected is None else expected}
    fields.update({"hint_vi": "", "hint_en": "", "detail": ""})
    fields.update(fmt)
    return Problem(
        code=code,
        severity=severity or default_severity,
        file=file,
        sheet=sheet,
        row=row,
        column=column,
        value=None if value is None else str(value),
        expected=None if expected is None else str(expected),
        message_vi=vi.format(**fields),
        message_en=en.format(**fields),
    )


def has_errors(problems) -> bool:
    return any(p.is_error for p in problems)
