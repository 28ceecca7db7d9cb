"""Query functions against each other, on the sample warehouse (a real DuckDB file)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import queries
from tests.conftest import sample_cursor

WANTED = [
    ("digitised_dossier_rate", date(2024, 10, 1), date(2024, 12, 31)),  # Nông Sơn still listed, merged later
    ("online_dossier_rate", date(2024, 12, 1), date(2024, 12, 31)),
    ("steering_committee_formed", date(2022, 5, 10), date(2022, 5, 10)),
    ("online_dossier_rate", date(2019, 1, 1), date(2019, 1, 31)),  # the same indicator, a period without values
]


@pytest.mark.parametrize("kinds", [None, queries.DISTRICT_KINDS])
def test_unit_values_at_gives_each_indicator_and_period_its_unit_values(sample_db, kinds):
    cur = sample_cursor(sample_db)
    together = queries.unit_values_at(cur, WANTED, kinds=kinds, province="49")
    for code, start, end in WANTED:
        alone = queries.unit_values(cur, code, start, end, kinds=kinds, province="49")
        mine = together[(together["indicator_code"] == code) & (together["period_start"] == pd.Timestamp(start))
                        & (together["period_end"] == pd.Timestamp(end))]
        assert not alone.empty
        pd.testing.assert_frame_equal(mine.drop(columns=["indicator_code", "period_start", "period_end"])
                                      .reset_index(drop=True), alone.reset_index(drop=True))
    assert together["reported"].any() and not together["reported"].all()
    assert len(together) == sum(len(queries.unit_values(cur, *w, kinds=kinds, province="49")) for w in WANTED)


def test_unit_values_at_of_nothing_is_an_empty_frame_with_the_columns(sample_db):
    frame = queries.unit_values_at(sample_cursor(sample_db), [], province="49")
    assert frame.empty and list(frame.columns)[:4] == ["indicator_code", "period_start", "period_end", "unit_code"]
