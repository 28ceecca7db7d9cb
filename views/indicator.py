"""Placeholder for the 'indicator' page (the lead replaces this body)."""

import streamlit as st

from dashboard.i18n import t
from dashboard.navigation import current_context

ctx = current_context()
st.title(t("nav.indicator", ctx.lang))
st.info(t("page.placeholder", ctx.lang))
