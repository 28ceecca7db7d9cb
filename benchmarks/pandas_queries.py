"""The same figures computed by pandas on the fact table (the baseline of the query benchmark).

`load_frames` pulls `current_facts` and `units` into pandas once (strings as
categories); each function answers one case of `query_cases` the pandas way.
"""

from __future__ import annotations

import pandas as pd


def load_frames(cur) -> dict:
    # the value columns (not where each row came from), as the page queries read them
    facts = cur.sql("SELECT * EXCLUDE (source_sheet, source_row) FROM current_facts").to_arrow_table().to_pandas(
        strings_to_categorical=True)
    units = cur.execute("SELECT code, name_vi, kind, parent, valid_from, valid_to FROM units").df()
    indicators = cur.execute("SELECT code, unit, aggregation FROM indicators").df()
    return {"facts": facts, "units": units, "indicators": indicators}


def _children(frames, kinds, province="49"):
    u = frames["units"]
    return u[(u["parent"] == province) & u["kind"].isin(kinds)]


def as_of(frames):
    return frames["facts"]["period_end"].max()


def periods(frames, code, kinds=None, province="49"):
    f = frames["facts"]
    f = f[f["indicator_code"] == code]
    u = frames["units"]
    f = f[f["unit_code"].isin(u.loc[u["kind"].isin(tuple(kinds) + ("province",)), "code"])]
    return (f.groupby(["period_kind", "period_start", "period_end"], observed=True)["unit_code"].nunique()
            .reset_index().sort_values(["period_end", "period_start"], ascending=[False, True]))


def dominant_period_kind(frames, code):
    f = frames["facts"]
    return f.loc[f["indicator_code"] == code, "period_kind"].value_counts().idxmax()


def province_values(frames, code, kinds=None, period_kind=None, province="49"):
    from dashboard.queries import ALL_CHILD_KINDS

    f = frames["facts"]
    f = f[(f["indicator_code"] == code) & (f["unit_code"].isin(_children(frames, kinds or ALL_CHILD_KINDS)["code"]))]
    if period_kind:
        f = f[f["period_kind"] == period_kind]
    g = f.groupby(["period_kind", "period_start", "period_end"], observed=True)
    out = g.agg(numerator=("numerator", "sum"), denominator=("denominator", "sum"), value=("value", "sum"),
                units_reported=("value", "count")).reset_index()
    out["rate"] = 100 * out["numerator"] / out["denominator"]
    return out.sort_values(["period_end", "period_start"])


def unit_values(frames, code, start, end, kinds=None, province="49"):
    f = frames["facts"]
    f = f[(f["indicator_code"] == code) & (f["period_start"] == pd.Timestamp(start)) & (f["period_end"] == pd.Timestamp(end))]
    children = _children(frames, kinds)
    return children.merge(f, left_on="code", right_on="unit_code", how="left").sort_values("value", ascending=False)


def unit_series(frames, code, unit_codes, period_kind=None):
    f = frames["facts"]
    f = f[(f["indicator_code"] == code) & f["unit_code"].isin(unit_codes)]
    if period_kind:
        f = f[f["period_kind"] == period_kind]
    return f.sort_values(["unit_code", "period_end"])


def latest_values_matrix(frames, kinds=None, province="49"):
    f = frames["facts"]
    f = f[f["unit_code"].isin(_children(frames, kinds)["code"])]
    counts = f.groupby(["indicator_code", "period_kind"], observed=True).size().reset_index(name="n")
    dominant = counts.loc[counts.groupby("indicator_code", observed=True)["n"].idxmax(), ["indicator_code", "period_kind"]]
    f = f.merge(dominant, on=["indicator_code", "period_kind"])
    latest = f.groupby("indicator_code", observed=True)["period_end"].transform("max")
    return f[f["period_end"] == latest]


PANDAS = {
    "queries.as_of": as_of,
    "queries.periods": periods,
    "queries.dominant_period_kind": dominant_period_kind,
    "queries.province_values rate": province_values,
    "queries.province_values count": province_values,
    "queries.unit_values": unit_values,
    "queries.unit_series": unit_series,
    "queries.latest_values_matrix": latest_values_matrix,
}
