"""Placeholder for the 'online_services' page (the lead replaces this body)."""

import streamlit as st

from dashboard.i18n import t
from dashboard.navigation import current_context

ctx = current_context()
st.title(t("nav.online_services", ctx.lang))
st.info(t("page.placeholder", ctx.lang))
