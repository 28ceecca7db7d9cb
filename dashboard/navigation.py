"""The page registry: which pages exist, their URL, title and group.

Design (decided with browser evidence, see README "Navigation" and app.py):

- Page modules live in ``views/``, **not** ``pages/``. With a folder named
  ``pages/`` next to app.py, streamlit 1.67 starts in its legacy multipage mode:
  on a freshly started server a deep link such as ``/districts`` runs
  ``pages/districts.py`` directly, app.py never runs, and the sidebar lists the
  file names (``app, districts, overview, steering``) instead of our titles.
- Pages are **files** run top-level by ``st.Page("views/<file>.py")``, not
  callables with ``render(ctx)``: ``AppTest.switch_page("views/districts.py")``
  resolves pages by their script path (streamlit/testing/v1/app_test.py,
  ``_resolve_page_hash``), so only file pages can be switched to in AppTest.
  A page gets its context with ``ctx = current_context()``.

To add a page: write ``views/<name>.py`` (docstring, ``ctx = current_context()``,
``st.title(t("nav.<name>", ctx.lang))``, then the content), add its two titles
to ``dashboard/i18n.py`` (``nav.<name>`` in vi and en) and one ``PageSpec`` line
to ``PAGES`` below. ``tests/browser/test_navigation_browser.py`` then deep-links
it automatically.

URL state: app.py keeps the language in ``?lang=en`` (Vietnamese, the default,
keeps the URL clean) and restores it after a sidebar link drops it. Page filters
(indicator, period, unit, kind of unit) belong in the URL too. Caution, seen in
the browser with 1.67: a widget with ``bind="query-params"`` writes its
*format_func label* to the URL (``?lang=English``) and ignores the raw option
(``?lang=en``); bind only widgets whose labels are the codes themselves, or sync
``st.query_params`` by hand as app.py does for the language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

from dashboard.i18n import DEFAULT_LANG, normalize_lang, t

APP_DIR: Final = Path(__file__).resolve().parent.parent
VIEWS_DIR: Final = "views"
DEFAULT_WAREHOUSE: Final = APP_DIR / "data" / "warehouse.duckdb"


@dataclass(frozen=True)
class PageSpec:
    """One page: its file under views/, URL slug, i18n title key, icon and group."""

    file: str
    url_path: str
    title_key: str
    icon: str
    group_key: str = "nav.group.main"
    default: bool = False

    @property
    def path(self) -> str:
        """The page file relative to app.py, as st.Page and AppTest.switch_page take it."""
        return f"{VIEWS_DIR}/{self.file}"


PAGES: Final[tuple[PageSpec, ...]] = (
    PageSpec("overview.py", "overview", "nav.overview", ":material/dashboard:", default=True),
    PageSpec("districts.py", "districts", "nav.districts", ":material/map:"),
    PageSpec("departments.py", "departments", "nav.departments", ":material/account_balance:"),
    PageSpec("indicator.py", "indicator", "nav.indicator", ":material/query_stats:"),
    PageSpec("report.py", "report", "nav.report", ":material/slideshow:"),
    PageSpec("national.py", "national", "nav.national", ":material/leaderboard:"),
    PageSpec("databases.py", "databases", "nav.databases", ":material/database:", "nav.group.topics"),
    PageSpec("steering.py", "steering", "nav.steering", ":material/groups:", "nav.group.topics"),
    PageSpec("projects.py", "projects", "nav.projects", ":material/engineering:", "nav.group.topics"),
    PageSpec(
        "online_services.py", "online-services", "nav.online_services",
        ":material/public:", "nav.group.topics",
    ),
    PageSpec("upload.py", "upload", "nav.upload", ":material/upload_file:", "nav.group.admin"),
    PageSpec("history.py", "history", "nav.history", ":material/history:", "nav.group.admin"),
)


def page_by_url(url_path: str) -> PageSpec:
    """The page with this URL slug (``KeyError`` if none)."""
    for spec in PAGES:
        if spec.url_path == url_path:
            return spec
    raise KeyError(url_path)


def build_navigation(lang: str) -> dict[str, list]:
    """The argument for ``st.navigation``: section title -> pages, titles in ``lang``.

    The default page is served at ``/`` (Streamlit gives it an empty URL path);
    the others at ``/<url_path>``.
    """
    import streamlit as st

    sections: dict[str, list] = {}
    for spec in PAGES:
        page = st.Page(
            spec.path,
            title=t(spec.title_key, lang),
            icon=spec.icon,
            url_path=spec.url_path,
            default=spec.default,
        )
        sections.setdefault(t(spec.group_key, lang), []).append(page)
    return sections


@dataclass(frozen=True)
class PageContext:
    """What every page needs from the frame around it (built by app.py each run)."""

    lang: str = DEFAULT_LANG
    db_path: Path = DEFAULT_WAREHOUSE
    as_of: date | None = None
    # the province shown (dashboard/province.py: ?province=, else the setting, else the
    # warehouse's first); None only when the warehouse holds no province with values
    province: str | None = None
    province_name: str = ""  # in ``lang``


def warehouse_path() -> Path:
    """``$DX_WAREHOUSE`` if set, else ``data/warehouse.duckdb`` (docs/warehouse.md)."""
    from etl.warehouse import default_path

    return default_path()


_CTX_KEY: Final = "_page_context"


def set_context(ctx: PageContext) -> None:
    """Store the context for the page about to run (app.py calls this)."""
    import streamlit as st

    st.session_state[_CTX_KEY] = ctx


def current_context() -> PageContext:
    """The context app.py built for this run; a default one if app.py did not run."""
    import streamlit as st

    ctx = st.session_state.get(_CTX_KEY)
    if isinstance(ctx, PageContext):
        return ctx
    lang = normalize_lang(st.query_params.get("lang"))
    db_path = warehouse_path()
    province = chosen_province(st.query_params.get("province"), db_path)
    return PageContext(lang=lang, db_path=db_path, province=province.code,
                       province_name=province.province.name(lang) if province.province else "")


def chosen_province(url_value, db_path: Path):
    """``dashboard.province.choose_province`` over the warehouse's provinces (cached query) and the setting."""
    from dashboard import province as prov
    from dashboard.data import query_in

    choices = prov.provinces_of(query_in(prov.__name__, "province_choices", db_path=db_path))
    return prov.choose_province(url_value, prov.configured_province(), choices)
