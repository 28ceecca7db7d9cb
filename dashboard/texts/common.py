STRINGS = {
    "vi": {
        "error.warehouse": "Không mở được kho dữ liệu; vui lòng thử lại sau ít phút",
        "error.query": "Không tải được số liệu cho phần này",
    },
    "en": {
        "error.warehouse": "The data warehouse cannot be opened; please try again in a few minutes",
        "error.query": "The figures for this section could not be loaded",
    },
}
