"""Load history: every load (file, who, when, values, status), its original file, undo, rebuild.

Anyone may read the history and download the originals; undoing needs a signed-in
analyst and a confirmation. An undo marks the load undone (nothing is deleted),
so the values it superseded become current again, and the warehouse's data
version changes, so every cached page shows the figures as they were.
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.data import warehouse
from dashboard.formatting import md_escape
from dashboard.i18n import t
from dashboard.navigation import current_context
from dashboard.uploads import load_history, original_file
from etl.loader import UndoError, rebuild_live, undo_load

log = logging.getLogger(__name__)

CONFIRM_KEY = "history.confirm_id"
MESSAGE_KEY = "history.message"
REBUILD_KEY = "history.confirm_rebuild"

ctx = current_context()
lang = ctx.lang
st.title(t("nav.history", lang))
st.caption(t("history.intro", lang))
user = auth.current_user()
wh = warehouse(ctx.db_path)


def _when(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%d/%m/%Y %H:%M")


cur = wh.cursor()
try:
    loads = load_history(cur)
finally:
    cur.close()

message = st.session_state.pop(MESSAGE_KEY, None)
if message:
    getattr(st, message[0])(message[1])

if loads.empty:
    st.info(t("history.empty", lang))
    st.stop()

table = pd.DataFrame({
    t("history.col.load_id", lang): loads["load_id"],
    t("history.col.file", lang): loads["file_name"],
    t("history.col.who", lang): loads["loaded_by"].fillna(""),
    t("history.col.when", lang): [_when(v) for v in loads["loaded_at"]],
    t("history.col.rows", lang): loads["rows"],
    t("history.col.status", lang): [t(f"history.status.{s}", lang) for s in loads["status"]],
    t("history.col.undone", lang): [
        f"{_when(at)} ({by})" if status == "undone" else ""
        for status, at, by in zip(loads["status"], loads["undone_at"], loads["undone_by"])
    ],
})
st.dataframe(table, hide_index=True)

by_id = {int(row.load_id): row for row in loads.itertuples()}
chosen = st.selectbox(
    t("history.choose", lang),
    list(by_id),
    format_func=lambda i: f"{i} — {by_id[i].file_name} ({t('history.status.' + by_id[i].status, lang)})",
    key="history.load",
    placeholder=t("common.choose_one", lang),
)
row = by_id[chosen]
original = original_file(ctx.db_path, row.archive_path)
if original is None:
    st.caption(t("history.missing_original", lang))
else:
    st.download_button(t("history.download", lang), data=original, file_name=row.file_name,
                       key=f"history.download.{chosen}", icon=":material/download:")

if not user:
    st.caption(t("history.sign_in_to_undo", lang))
    st.stop()

if row.status == "active":
    if st.session_state.get(CONFIRM_KEY) != chosen:
        if st.button(t("history.undo", lang), key="history.undo", icon=":material/undo:"):
            st.session_state[CONFIRM_KEY] = chosen
            st.rerun()
    else:
        st.warning(t("history.confirm", lang, load_id=chosen, file=md_escape(row.file_name), rows=row.rows))
        yes, no = st.columns(2)
        if yes.button(t("history.confirm_yes", lang), key="history.confirm_yes", type="primary"):
            st.session_state.pop(CONFIRM_KEY, None)
            try:
                undo_load(wh, chosen, user)
            except UndoError as exc:
                st.session_state[MESSAGE_KEY] = ("error", t("history.undo_failed", lang, error=exc))
            else:
                st.session_state[MESSAGE_KEY] = ("success", t("history.undone", lang, load_id=chosen))
            st.rerun()
        if no.button(t("history.cancel", lang), key="history.cancel"):
            st.session_state.pop(CONFIRM_KEY, None)
            st.rerun()

# Rebuild: replay every archived original into the warehouse (the CLI's `etl rebuild`).
st.divider()
st.subheader(t("history.rebuild_title", lang))
st.caption(t("history.rebuild_help", lang))
if st.session_state.get(REBUILD_KEY):
    st.warning(t("history.rebuild_confirm", lang))
    yes, no = st.columns(2)
    if yes.button(t("history.rebuild_yes", lang), key="history.rebuild_yes", type="primary"):
        st.session_state.pop(REBUILD_KEY, None)
        try:
            replayed = rebuild_live(wh)
        except Exception as exc:  # a broken archive: the warehouse keeps its old state
            # the exception names server paths: they go to the log, the page says what happened
            log.exception("rebuild of %s failed", wh.path)
            st.session_state[MESSAGE_KEY] = ("error", t("history.rebuild_failed", lang,
                                                        error=md_escape(type(exc).__name__)))
        else:
            st.session_state[MESSAGE_KEY] = ("success", t("history.rebuilt", lang, loads=replayed))
        st.rerun()
    if no.button(t("history.cancel", lang), key="history.rebuild_cancel"):
        st.session_state.pop(REBUILD_KEY, None)
        st.rerun()
elif st.button(t("history.rebuild", lang), key="history.rebuild", icon=":material/construction:"):
    st.session_state[REBUILD_KEY] = True
    st.rerun()
