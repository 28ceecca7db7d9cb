"""Plotly figures of the 'By district' / 'By department' pages. Pure: no Streamlit, no SQL.

Every builder takes small frames whose names are already in the reader's
language, and the language for numbers; every label, tooltip and axis uses the
Vietnamese (or English) number format (``layout.separators``, and text
formatted by dashboard.formatting). Checked through ``fig.to_dict()`` in
tests/test_unit_charts.py.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"name": ["A", "B"], "value": [10.0, 30.0]})
    >>> fig = ranked_bar(frame, unit="percent", direction="up", title="T", lang="vi")
    >>> list(fig.to_dict()["data"][0]["y"]), fig.layout.separators
    (['B', 'A'], ',.')
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboard.formatting import (
    fmt_number,
    fmt_value,
    hover_number_format,
    is_missing,
    plotly_separators,
)
from dashboard.i18n import t

BAR = "#1f6f8b"
BAR_NO = "#c9c9c9"
PROVINCE_COLOUR = "#d1495b"
TARGET_COLOUR = "#2e7d32"
NOT_REPORTED = "#9e9e9e"
SCALE = "Blues"


def _base_layout(fig: go.Figure, title: str, lang: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        separators=plotly_separators(lang),
        height=height,
        margin={"l": 10, "r": 30, "t": 70, "b": 40},
        font={"family": "Be Vietnam Pro, sans-serif"},
    )
    return fig


def _tick_format(unit: str) -> str:
    """Axis ticks: whole numbers for percents and counts (labels and tooltips keep decimals)."""
    return ",.0f" if unit in ("percent", "count", "yesno") else hover_number_format(unit)


def best_first(frame: pd.DataFrame, direction: str) -> pd.DataFrame:
    """Rows with a value, best first ('down': smallest first), ties by name."""
    ascending = direction == "down"
    rows = frame[frame["value"].notna()]
    return rows.sort_values(["value", "name"], ascending=[ascending, True], kind="stable")


def _hover_lines(row, unit: str, lang: str, num_label: str, den_label: str) -> str:
    lines = [f"<b>{row['name']}</b>", fmt_value(row["value"], unit, lang)]
    num, den = row.get("numerator"), row.get("denominator")
    if unit == "percent" and not is_missing(num) and not is_missing(den):
        lines.append(f"{num_label}: {fmt_number(num, 0, lang)}")
        lines.append(f"{den_label}: {fmt_number(den, 0, lang)}")
    note = row.get("note")
    if isinstance(note, str) and note:
        lines.append(f"<i>{note}</i>")
    return "<br>".join(lines)


def ranked_bar(frame: pd.DataFrame, *, unit: str, direction: str, title: str, lang: str = "vi",
               target: float | None = None, province: float | None = None,
               numerator_label: str | None = None, denominator_label: str | None = None,
               split_after: int | None = None) -> go.Figure:
    """Horizontal bars, one per unit that reported, best at the top.

    ``frame``: columns ``name, value`` and optionally ``numerator, denominator,
    note`` (a merged unit's note). Units without a value are left out (never drawn
    as 0; the page lists them). ``target`` and ``province`` are drawn as vertical
    lines labelled with their formatted value. A yes-no indicator draws one bar per
    unit labelled Có/Không (Yes/No), yes first, with no value axis. ``split_after``: a
    dashed line under the first that many bars (the best N above, the weakest N below).
    """
    num_label = numerator_label or t("common.numerator", lang)
    den_label = denominator_label or t("common.denominator", lang)
    rows = best_first(frame, "up" if unit == "yesno" else direction)
    names = list(rows["name"])
    hover = [_hover_lines(r, unit, lang, num_label, den_label) for _, r in rows.iterrows()]
    labels = [fmt_value(v, unit, lang) for v in rows["value"]]
    fig = go.Figure()
    if unit == "yesno":
        fig.add_bar(
            y=names, x=[1] * len(names), orientation="h", text=labels, textposition="inside",
            insidetextanchor="start", marker_color=[BAR if v >= 0.5 else BAR_NO for v in rows["value"]],
            hovertext=hover, hoverinfo="text", name=t("common.value", lang),
        )
        fig.update_xaxes(visible=False, range=[0, 1])
    else:
        fig.add_bar(
            y=names, x=list(rows["value"]), orientation="h", text=labels, textposition="outside",
            cliponaxis=False, marker_color=BAR, hovertext=hover, hoverinfo="text",
            name=t("common.value", lang),
        )
        fig.update_xaxes(tickformat=_tick_format(unit), ticksuffix="%" if unit == "percent" else "",
                         title=t("common.value", lang), rangemode="tozero")
        top = max([v for v in [*rows["value"], target, province] if not is_missing(v)] or [1])
        fig.update_xaxes(range=[0, top * 1.15])
        if not is_missing(target):
            fig.add_vline(x=float(target), line={"color": TARGET_COLOUR, "dash": "dot", "width": 2},
                          annotation={"text": t("units.target_line", lang, value=fmt_value(target, unit, lang)),
                                      "font": {"color": TARGET_COLOUR}},
                          annotation_position="top", name="target")
        if not is_missing(province):
            fig.add_vline(x=float(province), line={"color": PROVINCE_COLOUR, "dash": "dash", "width": 2},
                          annotation={"text": t("units.province_line", lang,
                                                value=fmt_value(province, unit, lang)),
                                      "font": {"color": PROVINCE_COLOUR}},
                          annotation_position="bottom right", name="province")
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed", title=None)
    fig.update_layout(showlegend=False, bargap=0.25)
    if split_after is not None and 0 < split_after < len(names):
        fig.add_shape(type="line", xref="paper", x0=0, x1=1, yref="y", y0=split_after - 0.5,
                      y1=split_after - 0.5, line={"color": NOT_REPORTED, "dash": "dash", "width": 1},
                      name="split")
    return _base_layout(fig, title, lang, height=max(320, 110 + 28 * len(names)))


def _normalise(values: pd.Series, direction: str) -> pd.Series:
    """0 (worst) … 1 (best) within one indicator; a single or flat column is 0.5."""
    lo, hi = values.min(), values.max()
    if is_missing(lo) or hi == lo:
        return values.where(values.isna(), 0.5)
    scaled = (values - lo) / (hi - lo)
    return 1 - scaled if direction == "down" else scaled


def short_name(name: str, limit: int = 28) -> str:
    """An indicator name cut at a word boundary with an ellipsis: for narrow axis labels."""
    if len(name) <= limit:
        return name
    cut = name[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def heatmap(matrix: pd.DataFrame, indicators: pd.DataFrame, *, title: str, lang: str = "vi",
            unit_order: list[str] | None = None) -> go.Figure:
    """Units × indicators, colour normalised per indicator (flipped for direction 'down').

    ``matrix``: columns ``indicator_code, name (unit), value, period_label``.
    ``indicators``: columns ``code, name, unit, direction`` (``name`` in ``lang``).
    Cell text is the formatted value; a unit that did not report is an empty cell.
    """
    info = indicators.set_index("code")
    present = set(matrix["indicator_code"])
    codes = [c for c in info.index if c in present]
    units = unit_order or sorted(matrix["name"].unique())
    z, text, hover = [], [], []
    wide = matrix.pivot_table(index="name", columns="indicator_code", values="value", aggfunc="first")
    wide = wide.reindex(index=units, columns=codes)
    periods = matrix.drop_duplicates("indicator_code").set_index("indicator_code")["period_label"]
    norm = pd.DataFrame({c: _normalise(wide[c], info.at[c, "direction"]) for c in codes}, index=units)
    # plain lists and arrays in the cell loop: a national province has ~100 units x 30 indicators,
    # and pandas scalar lookups there took most of the page's time
    values, normed = wide.to_numpy(dtype=object), norm.to_numpy(dtype=object)
    kinds = [info.at[c, "unit"] for c in codes]
    labels = [f"{info.at[c, 'name']}<br>{periods[c]}" for c in codes]
    missing = t("units.not_reported_short", lang)
    for i, unit_name in enumerate(units):
        z_row, text_row, hover_row = [], [], []
        for j in range(len(codes)):
            value = values[i, j]
            shown = "" if is_missing(value) else fmt_value(value, kinds[j], lang)
            z_row.append(None if is_missing(value) else float(normed[i, j]))
            text_row.append(shown)
            hover_row.append(f"<b>{unit_name}</b><br>{labels[j]}: {shown or missing}")
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    fig = go.Figure(go.Heatmap(
        z=z, x=[short_name(info.at[c, "name"]) for c in codes], y=units, text=text,
        texttemplate="%{text}", hovertext=hover, hoverinfo="text", colorscale=SCALE,
        zmin=0, zmax=1, showscale=False, xgap=2, ygap=2,
    ))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top", tickangle=-30)
    fig = _base_layout(fig, title, lang, height=max(360, 160 + 30 * len(units)))
    fig.update_layout(margin={"t": 170})
    return fig


def trend_lines(series: pd.DataFrame, province: pd.DataFrame | None, *, unit: str, title: str,
                lang: str = "vi", province_name: str | None = None) -> go.Figure:
    """One line per unit over time, and the province as a dashed line.

    ``series``: columns ``name, period_end, period_label, value``; ``province``:
    columns ``period_end, period_label, value`` (or None).
    """
    fig = go.Figure()
    for name, rows in series.groupby("name", sort=False):
        rows = rows.sort_values("period_end")
        fig.add_scatter(x=rows["period_end"], y=rows["value"], mode="lines+markers", name=name,
                        customdata=[[lbl, fmt_value(v, unit, lang)] for lbl, v in
                                    zip(rows["period_label"], rows["value"], strict=True)],
                        hovertemplate=f"<b>{name}</b><br>%{{customdata[0]}}: %{{customdata[1]}}<extra></extra>")
    if province is not None and not province.empty:
        rows = province.sort_values("period_end")
        pname = province_name or t("common.province", lang)
        fig.add_scatter(x=rows["period_end"], y=rows["value"], mode="lines", name=pname,
                        line={"dash": "dash", "color": PROVINCE_COLOUR, "width": 3},
                        customdata=[[lbl, fmt_value(v, unit, lang)] for lbl, v in
                                    zip(rows["period_label"], rows["value"], strict=True)],
                        hovertemplate=f"<b>{pname}</b><br>%{{customdata[0]}}: %{{customdata[1]}}<extra></extra>")
    fig.update_yaxes(tickformat=_tick_format(unit),
                     ticksuffix="%" if unit == "percent" else "", title=t("common.value", lang))
    fig.update_xaxes(tickformat="%m/%Y", title=t("common.period", lang))
    fig.update_layout(legend={"orientation": "h", "y": -0.2}, hovermode="closest")
    return _base_layout(fig, title, lang, height=460)


LABEL_LIMIT = 30  # more units than this (a province's communes): names in the tooltip only


def bubble_map(frame: pd.DataFrame, *, unit: str, direction: str, title: str,
               lang: str = "vi") -> go.Figure:
    """Units placed by their centroid (lon as x, lat as y): offline, no tiles, no geo.

    ``frame``: columns ``name, lat, lon, value`` (and ``note``). Rows without
    coordinates are left out (the page lists them); units that did not report are
    hollow grey circles. Bubble area and colour follow the value. With more than
    ``LABEL_LIMIT`` units the bubbles are smaller and unlabelled (names on hover).
    """
    placed = frame[frame["lat"].notna() & frame["lon"].notna()]
    many = len(placed) > LABEL_LIMIT
    mode = "markers" if many else "markers+text"
    small, spread = (7, 15) if many else (14, 36)
    fig = go.Figure()
    reported = placed[placed["value"].notna()]
    silent = placed[placed["value"].isna()]
    if not reported.empty:
        values = reported["value"].astype(float)
        span = float(values.max()) if values.max() > 0 else 1.0
        sizes = ([small + spread * math.sqrt(max(v, 0) / span) for v in values] if unit != "yesno"
                 else [small + 10] * len(values))
        labels = [fmt_value(v, unit, lang) for v in values]
        fig.add_scatter(
            x=reported["lon"], y=reported["lat"], mode=mode,
            text=[f"{n}<br>{lbl}" for n, lbl in zip(reported["name"], labels, strict=True)],
            textposition="top center", textfont={"size": 11},
            marker={"size": sizes, "color": values, "colorscale": SCALE if direction != "down" else SCALE + "_r",
                    "line": {"color": "#ffffff", "width": 1}, "opacity": 0.85, "showscale": False},
            hovertext=[f"<b>{n}</b><br>{lbl}" + (f"<br><i>{note}</i>" if isinstance(note, str) and note else "")
                       for n, lbl, note in zip(reported["name"], labels,
                                               reported.get("note", [""] * len(reported)), strict=True)],
            hoverinfo="text", name=t("common.value", lang),
        )
    if not silent.empty:
        fig.add_scatter(
            x=silent["lon"], y=silent["lat"], mode=mode, text=list(silent["name"]),
            textposition="top center", textfont={"size": 11, "color": NOT_REPORTED},
            marker={"size": small, "color": "rgba(0,0,0,0)", "line": {"color": NOT_REPORTED, "width": 2}},
            hovertext=[f"<b>{n}</b><br>{t('units.not_reported_short', lang)}" for n in silent["name"]],
            hoverinfo="text", name=t("units.not_reported_short", lang),
        )
    mean_lat = float(placed["lat"].mean()) if not placed.empty else 15.6
    fig.update_xaxes(visible=False)
    # one degree of latitude is 1/cos(lat) times longer on the ground than one of longitude
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(mean_lat)))
    fig.update_layout(showlegend=False, plot_bgcolor="#f4f7f9")
    return _base_layout(fig, title, lang, height=720)
