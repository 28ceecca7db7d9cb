"""User-interface strings in Vietnamese (default) and English.

    >>> t("nav.overview", "vi")
    'Tổng quan'
    >>> t("sidebar.as_of", "en", date="31/03/2024")
    'Data as of 31/03/2024'

Every key must exist in both languages (``tests/test_i18n.py`` fails otherwise).
Indicator and unit names are *data* (``indicators.name_vi`` / ``name_en`` in the
warehouse), not UI strings: they do not belong here.
"""

from __future__ import annotations

from typing import Final

LANGS: Final = ("vi", "en")
DEFAULT_LANG: Final = "vi"
LANG_NAMES: Final = {"vi": "Tiếng Việt", "en": "English"}

STRINGS: Final[dict[str, dict[str, str]]] = {
    "vi": {
        # Application
        "app.title": "Chuyển đổi số cấp tỉnh",
        # Navigation: page titles and groups
        "nav.overview": "Tổng quan",
        "nav.districts": "Theo địa bàn",
        "nav.departments": "Theo sở ngành",
        "nav.indicator": "Chi tiết chỉ tiêu",
        "nav.national": "Toàn quốc",
        "nav.group.main": "Bảng điều khiển",
        "nav.group.topics": "Chủ đề",
        "nav.databases": "Cơ sở dữ liệu chuyên ngành",
        "nav.steering": "Ban chỉ đạo",
        "nav.projects": "Dự án CNTT",
        "nav.online_services": "Dịch vụ công trực tuyến",
        # Sidebar
        "sidebar.language": "Ngôn ngữ / Language",
        "sidebar.province": "Tỉnh, thành phố",
        "sidebar.no_province": "Chưa có tỉnh nào có số liệu",
        "sidebar.province_unknown": "Kho dữ liệu không có số liệu của tỉnh “{value}”; đang hiển thị {name}.",
        "sidebar.as_of": "Dữ liệu đến ngày {date}",
        "sidebar.as_of_label": "Dữ liệu đến ngày",
        "sidebar.no_warehouse": "Chưa có kho dữ liệu",
        "sidebar.sample_badge": "Số liệu minh họa",
        "sidebar.sample_help": "Số liệu mẫu để minh họa, không phải số liệu chính thức.",
        # Common labels
        "common.no_data": "Không có dữ liệu",
        "common.yes": "Có",
        "common.no": "Không",
        "common.indicator": "Chỉ tiêu",
        "common.period": "Kỳ báo cáo",
        "common.unit": "Đơn vị",
        "common.unit_kind": "Loại đơn vị",
        "common.district": "Huyện, thị xã, thành phố",
        "common.department": "Sở, ban, ngành",
        "common.province": "Toàn tỉnh",
        "common.value": "Giá trị",
        "common.target": "Mục tiêu",
        "common.numerator": "Tử số",
        "common.denominator": "Mẫu số",
        "common.change": "Thay đổi so với kỳ trước",
        "common.status.on_track": "Đạt tiến độ",
        "common.status.at_risk": "Có nguy cơ chậm",
        "common.status.behind": "Chậm tiến độ",
        "common.download_csv": "Tải CSV",
        "common.download_xlsx": "Tải Excel (XLSX)",
        "common.source": "Nguồn",
        "common.merged_into": "Đã sáp nhập vào {successor}",
        "common.not_reported": "Chưa báo cáo",
        "common.choose_one": "Chọn một mục",
        "common.choose_many": "Chọn một hoặc nhiều mục",
        "page.placeholder": "Trang đang được xây dựng.",
    },
    "en": {
        "app.title": "Provincial digital transformation",
        "nav.overview": "Overview",
        "nav.districts": "By area",
        "nav.departments": "By department",
        "nav.indicator": "Indicator detail",
        "nav.national": "Nationwide",
        "nav.group.main": "Dashboard",
        "nav.group.topics": "Topics",
        "nav.databases": "Specialised databases",
        "nav.steering": "Steering committees",
        "nav.projects": "IT projects",
        "nav.online_services": "Online public services",
        "sidebar.language": "Ngôn ngữ / Language",
        "sidebar.province": "Province",
        "sidebar.no_province": "No province has data yet",
        "sidebar.province_unknown": "The warehouse has no figures for province “{value}”; showing {name}.",
        "sidebar.as_of": "Data as of {date}",
        "sidebar.as_of_label": "Data as of",
        "sidebar.no_warehouse": "No warehouse yet",
        "sidebar.sample_badge": "Illustrative sample data",
        "sidebar.sample_help": "Sample figures for illustration, not official statistics.",
        "common.no_data": "No data",
        "common.yes": "Yes",
        "common.no": "No",
        "common.indicator": "Indicator",
        "common.period": "Period",
        "common.unit": "Unit",
        "common.unit_kind": "Kind of unit",
        "common.district": "District, town, city",
        "common.department": "Department",
        "common.province": "Whole province",
        "common.value": "Value",
        "common.target": "Target",
        "common.numerator": "Numerator",
        "common.denominator": "Denominator",
        "common.change": "Change since previous period",
        "common.status.on_track": "On track",
        "common.status.at_risk": "At risk",
        "common.status.behind": "Behind",
        "common.download_csv": "Download CSV",
        "common.download_xlsx": "Download Excel (XLSX)",
        "common.source": "Source",
        "common.merged_into": "Merged into {successor}",
        "common.not_reported": "Not reported",
        "common.choose_one": "Choose one",
        "common.choose_many": "Choose one or more",
        "page.placeholder": "This page is being built.",
    },
}


def _merge_page_strings() -> None:
    """Add the strings of every module in dashboard/texts (one per page)."""
    import importlib
    import pkgutil

    from dashboard import texts

    for info in sorted(pkgutil.iter_modules(texts.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"dashboard.texts.{info.name}")
        for lang, table in module.STRINGS.items():
            clash = set(table) & set(STRINGS[lang])
            if clash:
                raise KeyError(f"dashboard/texts/{info.name}.py redefines {sorted(clash)}")
            STRINGS[lang].update(table)


_merge_page_strings()


def normalize_lang(value: object) -> str:
    """Return ``"en"`` or ``"vi"`` for any input; unknown values give the default.

    >>> normalize_lang("EN"), normalize_lang(None), normalize_lang("fr")
    ('en', 'vi', 'vi')
    """
    text = str(value or "").strip().lower()
    return text if text in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **kwargs: object) -> str:
    """Translate ``key`` into ``lang`` and fill ``{placeholders}`` from ``kwargs``.

    Raises ``KeyError`` for an unknown key, so a typo fails loudly in tests
    instead of showing the key on screen.
    """
    text = STRINGS[normalize_lang(lang)][key]
    return text.format(**kwargs) if kwargs else text
