"""current_counts kept in step with current_facts, without counting whole groups again.

current_counts holds, per indicator, unit and period kind (a group), how many current
values (n_rows) and distinct periods (n_periods) it has and its last period end. A load or
an undo changes current_facts by deleting some rows and inserting others, and the loader
knows both sets (DELETE … RETURNING, and the rows it inserts). Each group changes by what
moved:

- n_rows by inserted − deleted;
- n_periods by the periods that gained their first row or lost their last one. For each
  touched period p only, after(p) is counted in current_facts; before(p) is then
  after(p) − inserted(p) + deleted(p);
- last_end grows to the latest touched period that has rows after the change.

When the touched groups hold few rows besides those that moved (a first load of new
data, a correction of a whole file), counting those groups again is cheaper, and done;
when they hold none and nothing left (only new groups), the inserted rows are counted.

A group that lost its latest period (an undo of the week just loaded, a correction that
changes a period's kind) reads its last end again from its remaining rows; a group left
without rows is removed. Counting every touched group again cost 4–5 s for a weekly
national upload: its 99,630 values touch every indicator of every commune, so all 26 M
current rows were read (benchmarks/RESULTS.md).
"""

from __future__ import annotations

from datetime import timedelta

from etl.warehouse import COUNTS_SELECT

PERIOD = "indicator_code, unit_code, period_kind, period_start, period_end"
GROUP = "indicator_code, unit_code, period_kind"
_SAME_GROUP = " AND ".join(f"c.{col} = d.{col}" for col in GROUP.split(", "))
# Counting the touched groups again reads the rows they hold; updating reads about three
# times the rows that moved. Recount when the groups hold fewer than this many times the
# moved rows (a first load of new data; a whole file corrected), else update.
RECOUNT_BELOW = 4
# how far before a lost latest period a group's new last period is looked for first
LAST_END_WINDOW = timedelta(days=400)


def apply_change(tx, deleted: str, inserted: str, *, one_row_a_period: bool = False) -> None:
    """Update current_counts after current_facts lost the rows of relation `deleted` and gained
    those of `inserted` (each a table name or a parenthesised query with the PERIOD columns).
    Runs inside the caller's transaction, after current_facts has changed.

    `one_row_a_period`: `inserted` holds each (indicator, unit, period) once (a load without
    breakdowns: a load never holds a key twice), so a group's periods are its rows."""
    # the inserted rows counted per group once: the whole count of a new group, and the touched groups;
    # a first load of 2 M rows read them three times before (groups, rows, counts: 0.13 s -> 0.06 s)
    tx.execute("CREATE OR REPLACE TEMP TABLE cc_inserted AS " + (
        f"""SELECT {GROUP}, count(*) AS n_rows, count(*) AS n_periods, max(period_end) AS last_end
            FROM {inserted} GROUP BY ALL""" if one_row_a_period
        else COUNTS_SELECT.format(source=inserted, where="")))
    tx.execute(f"""CREATE OR REPLACE TEMP TABLE cc_groups AS
        SELECT {GROUP} FROM cc_inserted UNION SELECT {GROUP} FROM {deleted}""")
    held = tx.execute(f"""SELECT coalesce(sum(c.n_rows), 0) FROM current_counts c
                          JOIN cc_groups d ON {_SAME_GROUP}""").fetchone()[0]
    inserted_rows, deleted_rows = tx.execute(
        f"SELECT (SELECT coalesce(sum(n_rows), 0) FROM cc_inserted), (SELECT count(*) FROM {deleted})").fetchone()
    moved = inserted_rows + deleted_rows
    if held == 0 and deleted_rows == 0:  # only new groups (a first load, a new province): the load's counts
        tx.execute("INSERT INTO current_counts SELECT * FROM cc_inserted")
    elif held < RECOUNT_BELOW * moved:
        _recount(tx, f"({GROUP}) IN (SELECT ({GROUP}) FROM cc_groups)")
    else:
        _update(tx, deleted, inserted)
    tx.execute("DROP TABLE cc_groups")
    tx.execute("DROP TABLE cc_inserted")


def _recount(tx, groups: str) -> None:
    tx.execute(f"DELETE FROM current_counts WHERE {groups}")
    tx.execute("INSERT INTO current_counts " + COUNTS_SELECT.format(source="current_facts", where=f"WHERE {groups}"))


def _update(tx, deleted: str, inserted: str) -> None:
    tx.execute(f"""CREATE OR REPLACE TEMP TABLE cc_moves AS
        SELECT {PERIOD}, sum(ins)::BIGINT AS ins, sum(del)::BIGINT AS del FROM (
            SELECT {PERIOD}, 1 AS ins, 0 AS del FROM {inserted}
            UNION ALL
            SELECT {PERIOD}, 0 AS ins, 1 AS del FROM {deleted})
        GROUP BY ALL""")
    # the moved periods' date range first: a cheap test that keeps most of a national table out of
    # the lookup of the moved periods (as in etl.loader._supersede)
    first, last = tx.execute("SELECT min(period_start), max(period_start) FROM cc_moves").fetchall()[0]
    tx.execute(f"""CREATE OR REPLACE TEMP TABLE cc_delta AS
        WITH after AS (
            SELECT {PERIOD}, count(*) AS n FROM current_facts
            WHERE period_start BETWEEN DATE '{first.isoformat()}' AND DATE '{last.isoformat()}'
              AND ({PERIOD}) IN (SELECT ({PERIOD}) FROM cc_moves)
            GROUP BY ALL)
        SELECT {', '.join('m.' + c for c in GROUP.split(', '))},
               sum(m.ins - m.del) AS d_rows,
               sum(CAST(coalesce(a.n, 0) > 0 AS INTEGER)
                   - CAST(coalesce(a.n, 0) - m.ins + m.del > 0 AS INTEGER)) AS d_periods,
               max(CASE WHEN a.n > 0 THEN m.period_end END) AS new_end,
               max(CASE WHEN a.n IS NULL AND m.del > 0 THEN m.period_end END) AS lost_end
        FROM cc_moves m LEFT JOIN after a USING ({PERIOD})
        GROUP BY ALL""")
    # groups already counted, then the new ones (the order matters: a new group is added once)
    tx.execute(f"""UPDATE current_counts c
        SET n_rows = c.n_rows + d.d_rows, n_periods = c.n_periods + d.d_periods,
            last_end = greatest(c.last_end, d.new_end)
        FROM cc_delta d WHERE {_SAME_GROUP}""")
    tx.execute(f"""INSERT INTO current_counts
        SELECT {GROUP}, d_rows, d_periods, new_end FROM cc_delta d
        WHERE NOT EXISTS (SELECT 1 FROM current_counts c WHERE {_SAME_GROUP})""")
    tx.execute("DELETE FROM current_counts WHERE n_rows = 0")
    # a group that lost its last period: its last end is read again from its remaining rows, which all
    # end on or before the lost end. First among the rows that end at most LAST_END_WINDOW before the
    # earliest lost end (undoing a new week: every group, and its week before is there); then, for the
    # groups with no row there, among all rows.
    tx.execute(f"""CREATE OR REPLACE TEMP TABLE cc_last AS
        SELECT {', '.join('d.' + c for c in GROUP.split(', '))}, d.lost_end
        FROM cc_delta d JOIN current_counts c ON {_SAME_GROUP}
        WHERE d.lost_end >= c.last_end""")
    since = tx.execute("SELECT min(lost_end) FROM cc_last").fetchall()[0][0]
    if since is not None:
        since -= LAST_END_WINDOW
        tx.execute(f"""CREATE OR REPLACE TEMP TABLE cc_found AS
            SELECT {GROUP}, max(period_end) AS last_end FROM current_facts
            WHERE period_end >= DATE '{since.isoformat()}' AND ({GROUP}) IN (SELECT ({GROUP}) FROM cc_last)
            GROUP BY ALL""")
        tx.execute(f"""INSERT INTO cc_found
            SELECT {GROUP}, max(period_end) AS last_end FROM current_facts
            WHERE ({GROUP}) IN (SELECT ({GROUP}) FROM cc_last WHERE ({GROUP}) NOT IN (SELECT ({GROUP}) FROM cc_found))
            GROUP BY ALL""")
        tx.execute(f"UPDATE current_counts c SET last_end = d.last_end FROM cc_found d WHERE {_SAME_GROUP}")
        tx.execute("DROP TABLE cc_found")
    tx.execute("DROP TABLE cc_last")
    tx.execute("DROP TABLE cc_moves")
    tx.execute("DROP TABLE cc_delta")


__all__ = ["apply_change", "PERIOD"]
