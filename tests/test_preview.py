"""preview_changes: new, changed (old → new) and unchanged against indicator_values."""

from __future__ import annotations

from datetime import date

import pytest

from etl.loader import check_bytes, load_bytes
from etl.preview import count_changes, preview_changes
from tests.conftest import long_csv

TODAY = date(2026, 11, 25)
TEAMS, RATE = "Số tổ công nghệ số cộng đồng", "Tỷ lệ hồ sơ trực tuyến"


def values(rows):
    check = check_bytes(long_csv(rows), "f.csv", today=TODAY)
    assert check.ok, check.problems
    return check.values


@pytest.fixture
def loaded(warehouse):
    load_bytes(warehouse, long_csv([
        ["Tháng 3/2024", "TP. Tam Kỳ", TEAMS, "12", None, None, None, None],
        ["Tháng 3/2024", "Huyện Đại Lộc", RATE, None, "30", "120", None, None],
    ]), "first.csv", who="a", today=TODAY)
    return warehouse


def test_each_value_is_new_changed_or_unchanged_in_file_order(loaded):
    frame = preview_changes(loaded.cursor(), values([
        ["Tháng 3/2024", "TP. Tam Kỳ", TEAMS, "15", None, None, None, None],        # changed 12 -> 15
        ["Tháng 3/2024", "Huyện Đại Lộc", RATE, None, "30", "120", None, None],     # unchanged
        ["Tháng 4/2024", "TP. Tam Kỳ", TEAMS, "16", None, None, None, None],        # new
    ]))
    assert frame[["unit_code", "period", "old_value", "new_value", "change"]].astype(object).where(
        frame[["unit_code", "period", "old_value", "new_value", "change"]].notna(), None
    ).values.tolist() == [
        ["502", "2024-03", 12.0, 15.0, "changed"],
        ["506", "2024-03", 25.0, 25.0, "unchanged"],
        ["502", "2024-04", None, 16.0, "new"],
    ]
    assert count_changes(frame) == {"new": 1, "changed": 1, "unchanged": 1}


def test_a_rate_with_other_parts_but_the_same_value_is_changed(loaded):
    frame = preview_changes(loaded.cursor(), values([
        ["Tháng 3/2024", "Huyện Đại Lộc", RATE, None, "60", "240", None, None],  # 25 % again, other parts
    ]))
    assert frame["change"].tolist() == ["changed"]
    assert frame[["old_numerator", "new_numerator"]].values.tolist() == [[30.0, 60.0]]


def test_an_undone_load_is_not_what_is_compared_with(loaded):
    from etl.loader import undo_load

    second = load_bytes(loaded, long_csv([["Tháng 3/2024", "TP. Tam Kỳ", TEAMS, "20", None, None, None, None]]),
                        "second.csv", who="a", today=TODAY)
    undo_load(loaded, second.load_id, "a")
    frame = preview_changes(loaded.cursor(), values([["Tháng 3/2024", "TP. Tam Kỳ", TEAMS, "12", None, None,
                                                      None, None]]))
    assert frame["change"].tolist() == ["unchanged"]


def test_no_values_give_an_empty_preview_and_nothing_is_written(warehouse):
    cur = warehouse.cursor()
    frame = preview_changes(cur, [])
    assert frame.empty and count_changes(frame) == {"new": 0, "changed": 0, "unchanged": 0}
    assert cur.execute("SELECT count(*) FROM loads").fetchone() == (0,)
