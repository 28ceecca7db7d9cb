STRINGS = {
    "vi": {
        "error.warehouse": "Không mở được kho dữ liệu; vui lòng thử lại sau ít phút",
        "error.query": "Không tải được số liệu cho phần này",
        "sidebar.template": "Tải mẫu báo cáo (CSV)",
        "sidebar.template_help": "Mẫu dọc: Kỳ báo cáo, Đơn vị, Chỉ tiêu, Giá trị, Tử số, Mẫu số, Phân tổ, Ghi chú",
    },
    "en": {
        "error.warehouse": "The data warehouse cannot be opened; please try again in a few minutes",
        "error.query": "The figures for this section could not be loaded",
        "sidebar.template": "Download the report template (CSV)",
        "sidebar.template_help": "Long template: period, unit, indicator, value, numerator, denominator, breakdown, note",
    },
}
