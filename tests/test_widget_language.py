"""Every selectbox and multiselect speaks the page's language: none falls back to
Streamlit's English placeholder ("Choose an option", "Choose options")."""

from __future__ import annotations

import pytest

from dashboard.i18n import t
from dashboard.navigation import PAGES

# What streamlit 1.67's frontend shows when a widget's placeholder is empty
# (streamlit/elements/widgets/selectbox.py and multiselect.py, docstrings of ``placeholder``).
STREAMLIT_ENGLISH = {"", "Choose an option", "Choose options", "Choose or add an option",
                     "Choose or add options", "No options to select"}


def _choice_widgets(at) -> list:
    return [*at.selectbox, *at.multiselect]


def _english_placeholders(at) -> list[str]:
    return [w.label for w in _choice_widgets(at) if w.proto.placeholder in STREAMLIT_ENGLISH]


@pytest.mark.parametrize("spec", PAGES, ids=[s.url_path for s in PAGES])
def test_no_widget_shows_streamlits_english_placeholder_in_vietnamese(sample_app, spec):
    at = sample_app(spec.path)
    assert not _english_placeholders(at), spec.path


def test_the_province_picker_and_the_indicator_unit_picker_have_vietnamese_placeholders(app_on,
                                                                                        two_province_db):
    at = app_on(two_province_db, "views/indicator.py")
    placeholders = {w.label: w.proto.placeholder for w in _choice_widgets(at)}
    assert placeholders[t("sidebar.province", "vi")] == t("common.choose_one", "vi")
    assert placeholders[t("indicator.pick_units", "vi")] == "Chọn một hoặc nhiều mục"


def test_placeholders_follow_the_language(sample_app):
    at = sample_app("views/indicator.py", lang="en")
    placeholders = {w.label: w.proto.placeholder for w in _choice_widgets(at)}
    assert placeholders[t("indicator.pick_units", "en")] == "Choose one or more"
