"""Filters that live in the URL, so a copied link reproduces the view.

Streamlit 1.67's `bind="query-params"` writes a widget's *label* to the URL, so
the choice is synchronised by hand: the URL holds the option's code (`?indicator=
online_dossier_rate`), the widget shows its formatted label.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from dashboard.i18n import t


def _state_key(key: str) -> str:
    return f"url__{key}"


def url_selectbox(label: str, options: Sequence, key: str, *, format_func: Callable = str,
                  default=None, container=None, help: str | None = None, placeholder: str | None = None):
    """A selectbox whose choice is `?key=<str(option)>` in the URL.

    The URL wins over the session (a pasted link shows its view); an unknown
    value in the URL falls back to `default` (or the first option). Give a
    ``placeholder`` in the page's language (``t("common.choose_one", lang)``):
    without one Streamlit shows its English "Choose an option".
    """
    container = container or st
    options = list(options)
    if not options:
        return None
    by_text = {str(o): o for o in options}
    state = _state_key(key)
    from_url = st.query_params.get(key)
    if from_url in by_text:
        st.session_state[state] = by_text[from_url]
    elif st.session_state.get(state) not in options:
        st.session_state[state] = default if default in options else options[0]
    choice = container.selectbox(label, options, key=state, format_func=format_func, help=help,
                                placeholder=placeholder)
    st.query_params[key] = str(choice)
    return choice


def url_multiselect(label: str, options: Sequence, key: str, *, format_func: Callable = str,
                    default: Sequence = (), container=None, max_selections: int | None = None,
                    placeholder: str | None = None):
    """A multiselect whose choices are `?key=a,b,c` in the URL.

    Give a ``placeholder`` in the page's language (``t("common.choose_many", lang)``):
    without one Streamlit shows its English "Choose options".
    """
    container = container or st
    options = list(options)
    by_text = {str(o): o for o in options}
    state = _state_key(key)
    from_url = st.query_params.get(key)
    if from_url is not None:
        st.session_state[state] = [by_text[v] for v in from_url.split(",") if v in by_text]
    elif state not in st.session_state:
        st.session_state[state] = [d for d in default if d in options]
    else:
        st.session_state[state] = [v for v in st.session_state[state] if v in options]
    chosen = container.multiselect(label, options, key=state, format_func=format_func,
                                   max_selections=max_selections, placeholder=placeholder)
    st.query_params[key] = ",".join(str(c) for c in chosen)
    return chosen


def url_period(label: str, options: dict, lang: str, *, key: str = "period", default: str | None = None,
               help: str | None = None):
    """Choose one of `{period code: Period}` (newest first), kept as `?period=<code>`.

    Returns the chosen Period, or None when there are no options.
    """
    if not options:
        return None
    codes = list(options)
    code = url_selectbox(label, codes, key=key, default=default if default in options else codes[0],
                         format_func=lambda c: options[c].label(lang), help=help,
                         placeholder=t("common.choose_one", lang))
    return options[code]
