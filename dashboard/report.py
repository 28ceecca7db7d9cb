"""The weekly meeting report: what the province looks like at the end of one ISO week.

Pure functions over a DuckDB cursor; no Streamlit. :func:`build_report` returns a
:class:`WeeklyReport` (figures as numbers, plus one :class:`Section` per slide
with its table already formatted in the reader's language). The page
(views/report.py), the exports (dashboard/report_export.py) and the command line
(`python -m etl report`) all render that one object.

Rules, written down once:

- **A figure "as of" a day** is the newest province value (``queries.province_values``:
  the province's own row, else its units combined) whose period *ends on or
  before* that day; among periods ending the same day the shortest (latest
  start) wins. Each figure carries its period, so a weekly figure compared with
  a monthly one says so.
- **Headline**: each headline indicator as of the end of the report week, of the
  compare week (default: the week before) and of 31/12 of the previous year.
- **Ranking**: for districts and for departments separately, the newest period
  ending by the end of the week in which units of that group reported the chosen
  indicator; best 5 and weakest 5 by the indicator's direction.
- **Not reported**: for the chosen and the headline indicators, the same period
  per group; units of the group that existed then and have no value.
- **Deadlines** (``queries.DEADLINES``, ``topic_queries.APPRAISAL_DEADLINE``):
  listed when they passed before the week or fall in it, with the late units.

>>> week_of(date(2024, 12, 31)).code
'2025-W01'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from dashboard import queries, topic_queries
from dashboard.formatting import (
    fmt_date,
    fmt_number,
    fmt_percent,
    fmt_value,
    is_missing,
    no_data,
)
from dashboard.i18n import normalize_lang, t
from etl.periods import Period, PeriodError

DEFAULT_INDICATOR = "online_dossier_rate"
TOP_N = 5
GROUPS = {"district": queries.DISTRICT_KINDS, "department": queries.DEPARTMENT_KINDS}
RANKABLE_UNITS = ("percent", "count", "score")
SECTION_KEYS = ("headline", "districts", "departments", "not_reported", "deadlines")


class WeekError(ValueError):
    """A text is not an ISO week such as ``2026-W47``."""


def parse_week(text: str) -> Period:
    """``'2026-W47'`` (or any week text the ETL reads) as a week ``Period``.

    >>> parse_week("2026-W47").label()
    'Tuần 47/2026 (16/11–22/11/2026)'
    """
    try:
        period = Period.from_code(str(text).strip())
    except (PeriodError, ValueError) as exc:
        raise WeekError(f"{text!r} is not an ISO week such as 2026-W47 ({exc})") from None
    if period.kind != "week":
        raise WeekError(f"{text!r} is a {period.kind}, not an ISO week such as 2026-W47")
    return period


def week_of(day: date) -> Period:
    """The ISO week (Monday–Sunday) containing ``day``."""
    iso = day.isocalendar()
    return Period.week(iso.year, iso.week)


def _as_date(d) -> date | None:
    if is_missing(d):
        return None
    return pd.Timestamp(d).date()


def data_as_of(cur, day: date | None = None) -> date | None:
    """The newest period end in the warehouse (on or before ``day`` when given)."""
    if day is None:
        row = cur.execute("SELECT max(period_end) FROM indicator_values").fetchone()
    else:
        row = cur.execute("SELECT max(period_end) FROM indicator_values WHERE period_end <= ?", [day]).fetchone()
    return _as_date(row[0]) if row else None


def first_period_start(cur) -> date | None:
    row = cur.execute("SELECT min(period_start) FROM indicator_values").fetchone()
    return _as_date(row[0]) if row else None


def default_week(cur) -> Period | None:
    """The week containing the data's as-of date (the last week that has data)."""
    day = data_as_of(cur)
    return week_of(day) if day else None


def week_options(cur, today: date | None = None) -> list[Period]:
    """Every ISO week from the first data to the later of today and the as-of week, newest first."""
    first, last = first_period_start(cur), data_as_of(cur)
    if first is None or last is None:
        return []
    end = max(last, today or date.today())
    week, stop = week_of(end), week_of(first)
    out = []
    while week >= stop:
        out.append(week)
        week = week.previous()
    return out


def rankable_indicators(cur, *, province: str) -> pd.DataFrame:
    """Indicators the province's districts or departments report with a rankable value (not yes-no, not neutral)."""
    kinds_sql, params = queries._kinds_sql(queries.ALL_CHILD_KINDS)
    return cur.execute(
        f"""SELECT i.code, i.name_vi, i.name_en, i.unit, i.direction FROM indicators i
            WHERE i.unit IN ('percent', 'count', 'score') AND i.direction <> 'neutral'
              AND EXISTS (SELECT 1 FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
                          WHERE iv.indicator_code = i.code AND u.parent = ? AND u.kind IN {kinds_sql})
            ORDER BY i.headline DESC, i.topic, i.code""",
        [province, *params],
    ).df()


# -- figures as of a day ---------------------------------------------------------------

@dataclass(frozen=True)
class Snapshot:
    """One province figure and the period it refers to."""

    value: float
    period: Period
    numerator: float | None = None
    denominator: float | None = None


def _period_of(row) -> Period:
    return Period(row["period_kind"], _as_date(row["period_start"]), _as_date(row["period_end"]))


def snapshot_as_of(series: pd.DataFrame, day: date) -> Snapshot | None:
    """The newest row of a ``province_values`` frame whose period ends on or before ``day``."""
    if series is None or series.empty:
        return None
    rows = series[series["value"].notna() & (pd.to_datetime(series["period_end"]) <= pd.Timestamp(day))]
    if rows.empty:
        return None
    rows = rows.assign(_end=pd.to_datetime(rows["period_end"]), _start=pd.to_datetime(rows["period_start"]))
    last = rows.sort_values(["_end", "_start"], kind="stable").iloc[-1]
    num, den = last.get("numerator"), last.get("denominator")
    return Snapshot(float(last["value"]), _period_of(last),
                    None if is_missing(num) else float(num), None if is_missing(den) else float(den))


@dataclass(frozen=True)
class HeadlineRow:
    code: str
    name: str
    unit: str
    direction: str
    current: Snapshot | None
    compare: Snapshot | None
    year_start: Snapshot | None

    @property
    def shown_unit(self) -> str:
        """A province yes-no figure is a share of units: a percent."""
        return "percent" if self.unit == "yesno" else self.unit

    def change(self, other: Snapshot | None) -> float | None:
        if self.current is None or other is None:
            return None
        return self.current.value - other.value


@dataclass(frozen=True)
class Ranking:
    group: str  # 'district' | 'department'
    period: Period | None
    province_value: float | None
    best: tuple[tuple[str, float], ...]
    weakest: tuple[tuple[str, float], ...]  # weakest last


@dataclass(frozen=True)
class Missing:
    code: str
    name: str
    group: str
    period: Period
    units: tuple[str, ...]


@dataclass(frozen=True)
class Deadline:
    key: str  # 'steering' | 'appraisal'
    deadline: date
    state: str  # 'passed' | 'this_week'
    late: tuple[str, ...]
    # the deadline falls after the day the report is judged at (the week's last day, or today
    # when the week is not over): nobody is late yet
    not_yet: bool = False


@dataclass(frozen=True, eq=False)
class Section:
    """One slide / page / screen: a title, a formatted table, an optional chart and notes."""

    key: str
    title: str
    table: pd.DataFrame
    notes: str
    caption: str = ""
    chart: bool = False


@dataclass(frozen=True, eq=False)
class WeeklyReport:
    week: Period
    compare: Period
    lang: str
    title: str
    subtitle: str
    as_of: date | None
    source: str
    indicator: str
    indicator_name: str
    indicator_unit: str
    indicator_direction: str
    province: str
    province_name: str
    headline: tuple[HeadlineRow, ...]
    rankings: tuple[Ranking, ...]
    missing: tuple[Missing, ...]
    deadlines: tuple[Deadline, ...]
    sections: tuple[Section, ...] = field(default=())

    @property
    def file_stem(self) -> str:
        """``bao_cao_tuan_2026-W47`` (the files' names)."""
        return f"bao_cao_tuan_{self.week.code}"

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def ranking(self, group: str) -> Ranking:
        for r in self.rankings:
            if r.group == group:
                return r
        raise KeyError(group)


# -- building blocks --------------------------------------------------------------------

def _name(row: dict, lang: str, vi: str = "name_vi", en: str = "name_en") -> str:
    if lang == "en" and isinstance(row.get(en), str) and row.get(en):
        return row[en]
    return row[vi]


def headline_rows(cur, week: Period, compare: Period, lang: str = "vi", *, province: str) -> list[HeadlineRow]:
    """Each headline indicator as of the end of ``week``, of ``compare`` and of 31/12 last year."""
    catalogue = queries.indicators(cur).set_index("code")
    year_end = date(week.end.year - 1, 12, 31)
    rows = []
    for code in queries.headline_codes(cur):
        info = catalogue.loc[code].to_dict()
        series = queries.province_values(cur, code, province=province)
        rows.append(HeadlineRow(
            code=code, name=_name(info, lang), unit=info["unit"], direction=info["direction"],
            current=snapshot_as_of(series, week.end), compare=snapshot_as_of(series, compare.end),
            year_start=snapshot_as_of(series, year_end),
        ))
    return rows


def group_period(cur, code: str, group: str, day: date, *, province: str) -> Period | None:
    """The newest period ending by ``day`` in which the province's units of ``group`` reported ``code``."""
    kinds_sql, params = queries._kinds_sql(GROUPS[group])
    row = cur.execute(
        f"""SELECT iv.period_kind, iv.period_start, iv.period_end
            FROM indicator_values iv JOIN units u ON u.code = iv.unit_code
            WHERE iv.indicator_code = ? AND u.parent = ? AND u.kind IN {kinds_sql}
              AND iv.period_end <= ? AND iv.value IS NOT NULL
            GROUP BY ALL ORDER BY iv.period_end DESC, iv.period_start DESC LIMIT 1""",
        [code, province, *params, day],
    ).fetchone()
    if row is None:
        return None
    return Period(row[0], _as_date(row[1]), _as_date(row[2]))


def _unit_frame(cur, code: str, group: str, period: Period, lang: str, province: str) -> pd.DataFrame:
    frame = queries.unit_values(cur, code, period.start, period.end, kinds=GROUPS[group], province=province)
    frame = frame.assign(name=[_name(r, lang, "unit_name", "name_en") for r in frame.to_dict("records")])
    return frame


def ranking(cur, code: str, group: str, week: Period, direction: str, lang: str = "vi", *,
            province: str) -> Ranking:
    """Best and weakest units of a group on an indicator, in the group's newest period."""
    period = group_period(cur, code, group, week.end, province=province)
    if period is None:
        return Ranking(group, None, None, (), ())
    frame = _unit_frame(cur, code, group, period, lang, province)
    rows = frame[frame["value"].notna()]
    rows = rows.sort_values(["value", "name"], ascending=[direction == "down", True], kind="stable")
    pairs = [(str(n), float(v)) for n, v in zip(rows["name"], rows["value"], strict=True)]
    best = pairs[:TOP_N]
    weakest = pairs[len(best):][-TOP_N:]
    province = snapshot_as_of(
        queries.province_values(cur, code, period_kind=period.kind, province=province), period.end)
    province_value = province.value if province is not None and province.period == period else None
    return Ranking(group, period, province_value, tuple(best), tuple(weakest))


def missing_reports(cur, codes: list[str], week: Period, lang: str = "vi", *, province: str) -> list[Missing]:
    """Units that existed and did not report, per indicator and group, in the group's newest period."""
    catalogue = queries.indicators(cur).set_index("code")
    out = []
    for code in codes:
        info = catalogue.loc[code].to_dict()
        for group in GROUPS:
            period = group_period(cur, code, group, week.end, province=province)
            if period is None:
                continue
            frame = _unit_frame(cur, code, group, period, lang, province)
            silent = frame[~frame["reported"].astype(bool)]
            out.append(Missing(code, _name(info, lang), group, period, tuple(sorted(silent["name"]))))
    return out


def _deadline_state(deadline: date, week: Period) -> str | None:
    if deadline < week.start:
        return "passed"
    if deadline <= week.end:
        return "this_week"
    return None


def deadlines(cur, week: Period, lang: str = "vi", today: date | None = None, *,
              province: str) -> list[Deadline]:
    """Steering committees and project appraisals whose deadline passed or falls in the week.

    Lateness is judged at the week's last day, or at ``today`` (default: the system date)
    when the week is not over: a deadline later in the current week has no late units yet.
    """
    out = []
    judged = min(week.end, today or date.today())
    steering_deadline = queries.DEADLINES["steering_committee_formed"]
    state = _deadline_state(steering_deadline, week)
    if state and steering_deadline > judged:
        out.append(Deadline("steering", steering_deadline, state, (), not_yet=True))
    elif state:
        status = topic_queries.steering_status(cur, "steering_committee_formed", steering_deadline,
                                               province=province)
        late = []
        for row in status.to_dict("records"):
            first_yes = _as_date(row["first_yes"])
            if first_yes is not None and first_yes > week.end:
                first_yes = None  # not known yet at the end of the report week
            if row["status"] == "not_reported":
                continue
            name = _name(row, lang)
            if first_yes is None:
                late.append(f"{name} ({t('report.not_formed', lang)})")
            elif first_yes > steering_deadline:
                late.append(f"{name} ({t('report.formed_on', lang, date=fmt_date(first_yes))})")
        out.append(Deadline("steering", steering_deadline, state, tuple(late)))
    appraisal_deadline = topic_queries.APPRAISAL_DEADLINE
    state = _deadline_state(appraisal_deadline, week)
    if state and appraisal_deadline > judged:
        out.append(Deadline("appraisal", appraisal_deadline, state, (), not_yet=True))
    elif state:
        row = cur.execute(
            """SELECT period_start, period_end FROM indicator_values
               WHERE indicator_code = 'it_projects' AND period_end <= ?
               ORDER BY period_end DESC, period_start DESC LIMIT 1""", [week.end]).fetchone()
        late = []
        if row is not None:
            overdue = topic_queries.overdue_appraisal(cur, "it_projects", _as_date(row[0]), _as_date(row[1]),
                                                      province=province)
            for r in overdue.to_dict("records"):
                late.append(f"{_name(r, lang)} ({t('report.projects', lang, n=fmt_number(r['total'], 0, lang))})")
        out.append(Deadline("appraisal", appraisal_deadline, state, tuple(late)))
    return out


# -- formatting into sections ---------------------------------------------------------------

def fmt_change(change: float | None, unit: str, lang: str = "vi") -> str:
    """``+1,23 điểm %`` for percents, ``+3`` for counts, no-data text when missing.

    >>> fmt_change(1.234, "percent"), fmt_change(-3, "count", "en"), fmt_change(0.0, "percent")
    ('+1,23 điểm %', '-3', '0,00 điểm %')
    """
    if change is None or is_missing(change):
        return no_data(lang)
    sign = "+" if change > 0.00499 else ("-" if change < -0.00499 else "")
    if unit in ("percent", "yesno"):
        return f"{sign}{fmt_number(abs(change), 2, lang)} {t('report.points', lang)}"
    return sign + fmt_value(abs(change), unit, lang)


def fmt_snapshot_value(snap: Snapshot | None, unit: str, lang: str = "vi") -> str:
    if snap is None:
        return no_data(lang)
    return fmt_percent(snap.value, 2, lang) if unit == "yesno" else fmt_value(snap.value, unit, lang)


def _change_cell(row: HeadlineRow, other: Snapshot | None, lang: str) -> str:
    if row.current is None or other is None:
        return no_data(lang)
    text = fmt_change(row.change(other), row.shown_unit, lang)
    if other.period == row.current.period:
        return f"{text} ({t('report.same_period', lang)})"
    return t("report.value_in", lang, value=text, period=other.period.label(lang))


def _headline_section(rep_rows, week, compare, lang, title) -> Section:
    year = week.end.year - 1
    table = pd.DataFrame({
        t("report.col.indicator", lang): [r.name for r in rep_rows],
        t("report.col.value", lang): [fmt_snapshot_value(r.current, r.unit, lang) for r in rep_rows],
        t("report.col.period", lang): [r.current.period.label(lang) if r.current else no_data(lang) for r in rep_rows],
        t("report.col.vs_compare", lang, week=_week_short(compare, lang)):
            [_change_cell(r, r.compare, lang) for r in rep_rows],
        t("report.col.vs_year", lang, year=week.end.year): [_change_cell(r, r.year_start, lang) for r in rep_rows],
    }, dtype="str")
    notes = t("report.notes.headline", lang, week=week.label(lang), compare=compare.label(lang), year=year)
    notes += "\n" + "\n".join(f"- {r.name}: {fmt_snapshot_value(r.current, r.unit, lang)}"
                              + (f" ({r.current.period.label(lang)})" if r.current else "") for r in rep_rows)
    return Section("headline", title, table, notes, chart=any(r.current for r in rep_rows if r.shown_unit == "percent"))


def _week_short(week: Period, lang: str) -> str:
    iso = week.start.isocalendar()
    return f"tuần {iso.week}/{iso.year}" if lang == "vi" else f"week {iso.week}, {iso.year}"


def _ranking_section(rank: Ranking, key: str, title: str, report_ind: tuple[str, str], lang: str) -> Section:
    name, unit = report_ind
    shown = (lambda v: fmt_value(v, unit, lang))
    rows = [(t("report.best", lang), i + 1, n, shown(v)) for i, (n, v) in enumerate(rank.best)]
    rows += [(t("report.weakest", lang), i + 1, n, shown(v)) for i, (n, v) in enumerate(reversed(rank.weakest))]
    table = pd.DataFrame(rows, columns=["", "#", t("common.unit", lang), t("common.value", lang)], dtype="str")
    group = t(f"report.group.{rank.group}", lang)
    if rank.period is None:
        caption = t("report.rank_no_data", lang)
        notes = t("report.notes.ranking_empty", lang, indicator=name)
    else:
        province = shown(rank.province_value) if rank.province_value is not None else no_data(lang)
        caption = t("report.rank_caption", lang, indicator=name, period=rank.period.label(lang), province=province)
        notes = t("report.notes.ranking", lang, group=group, indicator=name, period=rank.period.label(lang),
                  best=", ".join(f"{n} {shown(v)}" for n, v in rank.best),
                  weakest=", ".join(f"{n} {shown(v)}" for n, v in reversed(rank.weakest)) or no_data(lang))
    return Section(key, title, table, notes, caption=caption, chart=rank.period is not None)


def _missing_section(missing: list[Missing], title: str, lang: str) -> Section:
    table = pd.DataFrame({
        t("report.col.indicator", lang): [m.name for m in missing],
        t("report.col.group", lang): [t(f"report.group.{m.group}", lang) for m in missing],
        t("report.col.period", lang): [m.period.label(lang) for m in missing],
        t("report.col.missing_count", lang): [str(len(m.units)) for m in missing],
        t("report.col.missing", lang): [", ".join(m.units) if m.units else t("report.all_reported", lang)
                                        for m in missing],
    }, dtype="str")
    notes = t("report.notes.not_reported", lang, n=sum(len(m.units) for m in missing))
    notes += "\n" + "\n".join(f"- {m.name} ({m.period.label(lang)}): {', '.join(m.units)}" for m in missing if m.units)
    return Section("not_reported", title, table, notes)


def _deadline_section(items: list[Deadline], title: str, lang: str) -> Section:
    table = pd.DataFrame({
        t("report.col.task", lang): [t(f"report.deadline.{d.key}", lang) for d in items],
        t("report.col.deadline", lang): [fmt_date(d.deadline, lang) for d in items],
        t("report.col.state", lang): [t(f"report.state.{d.state}", lang) for d in items],
        t("report.col.late", lang): [t("report.not_due_yet", lang) if d.not_yet
                                     else "; ".join(d.late) if d.late else t("report.no_late", lang) for d in items],
    }, dtype="str")
    if items:
        notes = t("report.notes.deadlines", lang, items="; ".join(
            f"{t(f'report.deadline.{d.key}', lang)} ({fmt_date(d.deadline, lang)}): {len(d.late)}" for d in items))
    else:
        notes = t("report.notes.no_deadlines", lang)
    caption = "" if items else t("report.no_deadlines", lang)
    return Section("deadlines", title, table, notes, caption=caption)


def _province_name(cur, province: str, lang: str) -> str:
    row = cur.execute("SELECT name_vi, name_en FROM units WHERE code = ?", [province]).fetchone()
    if row is None:
        return str(province)
    return _name({"name_vi": row[0], "name_en": row[1]}, lang)


def build_report(cur, week: Period | str, compare: Period | str | None = None,
                 indicator: str | None = None, lang: str = "vi", today: date | None = None, *,
                 province: str) -> WeeklyReport:
    """The weekly report of ``province`` (its code) for ``week`` (a week ``Period`` or ``'2026-W47'``).

    ``compare`` defaults to the week before; ``indicator`` (ranked and checked for
    missing reports) defaults to the online dossier rate, else the first
    rankable indicator. ``today`` (default: the system date) is the day deadlines are
    judged at when the week is not over. Raises :class:`WeekError` for a text that is not a week.
    """
    lang = normalize_lang(lang)
    week = parse_week(week) if isinstance(week, str) else week
    if compare is None:
        compare = week.previous()
    elif isinstance(compare, str):
        compare = parse_week(compare)
    options = rankable_indicators(cur, province=province)
    codes = list(options["code"])
    if indicator not in codes:
        indicator = DEFAULT_INDICATOR if DEFAULT_INDICATOR in codes else (codes[0] if codes else DEFAULT_INDICATOR)
    info = queries.indicator_info(cur, indicator) or {"name_vi": indicator, "name_en": indicator,
                                                      "unit": "count", "direction": "up"}
    ind_name = _name(info, lang)
    province_name = _province_name(cur, province, lang)
    as_of = data_as_of(cur, week.end)
    source = t("report.source", lang, date=fmt_date(as_of, lang)) if as_of else t("report.source_no_data", lang)
    head = headline_rows(cur, week, compare, lang, province=province)
    ranks = [ranking(cur, indicator, g, week, info["direction"], lang, province=province) for g in GROUPS]
    rankable_headline = [c for c in queries.headline_codes(cur) if c in codes and c != indicator]
    missing = missing_reports(cur, [indicator, *rankable_headline], week, lang, province=province)
    due = deadlines(cur, week, lang, today, province=province)
    week_label = week.label(lang)
    sections = (
        _headline_section(head, week, compare, lang, f"{t('report.section.headline', lang)} · {week_label}"),
        _ranking_section(ranks[0], "districts", f"{t('report.section.districts', lang)} · {week_label}",
                         (ind_name, info["unit"]), lang),
        _ranking_section(ranks[1], "departments", f"{t('report.section.departments', lang)} · {week_label}",
                         (ind_name, info["unit"]), lang),
        _missing_section(missing, f"{t('report.section.not_reported', lang)} · {week_label}", lang),
        _deadline_section(due, f"{t('report.section.deadlines', lang)} · {week_label}", lang),
    )
    return WeeklyReport(
        week=week, compare=compare, lang=lang,
        title=t("report.title", lang, province=province_name, week=week_label),
        subtitle=t("report.compare_line", lang, week=compare.label(lang), year=week.end.year - 1),
        as_of=as_of, source=source, indicator=indicator, indicator_name=ind_name,
        indicator_unit=info["unit"], indicator_direction=info["direction"],
        province=province, province_name=province_name, headline=tuple(head), rankings=tuple(ranks), missing=tuple(missing), deadlines=tuple(due),
        sections=sections,
    )


def previous_weeks(week: Period, n: int = 1) -> Period:
    """The week ``n`` weeks before ``week``."""
    monday = week.start - timedelta(weeks=n)
    return week_of(monday)


# -- cached access for the page ----------------------------------------------------------------

def report_query(name: str, *args, db_path=None, **kwargs):
    """Run ``report.<name>(cursor, *args, **kwargs)`` cached by the warehouse's data version.

    ``build_report`` results are plain data (the page keeps no cursor), so the
    download buttons can render files from them on another thread.
    """
    from dashboard.data import query_in

    return query_in(__name__, name, *args, db_path=db_path, **kwargs)
