"""UI strings of the overview page (views/overview.py)."""

STRINGS = {
    "vi": {
        "overview.headline": "Chỉ tiêu chính",
        "overview.status_table": "Tình trạng các chỉ tiêu",
        "overview.behind": "Đơn vị chậm nhất",
        "overview.behind_caption": "5 đơn vị (huyện và sở ngành) có giá trị thấp nhất trong kỳ gần nhất, "
                                   "so với giá trị toàn tỉnh.",
        "overview.gap": "Chênh lệch so với toàn tỉnh",
        "overview.progress": "{share} mục tiêu {target}",
        "overview.target_year": "Mục tiêu {target} đến năm {year}",
        "overview.previous": "Kỳ trước: {period}",
        "overview.no_previous": "Chưa có kỳ trước để so sánh",
        "overview.points": "điểm %",
        "overview.status": "Tình trạng",
        "overview.status.no_data": "Không có dữ liệu",
        "overview.status.no_status": "Không đánh giá",
        "overview.rule": "Đạt tiến độ: đạt mục tiêu; có nguy cơ chậm: đạt từ 80% mục tiêu; "
                         "chậm tiến độ: dưới 80%. Chỉ tiêu không có mục tiêu được so với kỳ trước "
                         "(kém đi không quá 5%: có nguy cơ chậm; hơn 5%: chậm tiến độ).",
        "overview.empty": "Kho dữ liệu chưa có số liệu. Hãy nạp báo cáo để xem tổng quan.",
        "overview.units_of": "{n} đơn vị báo cáo",
    },
    "en": {
        "overview.headline": "Headline indicators",
        "overview.status_table": "Status of all indicators",
        "overview.behind": "Units furthest behind",
        "overview.behind_caption": "The 5 units (districts and departments) with the lowest value in the "
                                   "latest period, against the province value.",
        "overview.gap": "Gap to the province",
        "overview.progress": "{share} of target {target}",
        "overview.target_year": "Target {target} by {year}",
        "overview.previous": "Previous period: {period}",
        "overview.no_previous": "No previous period to compare with",
        "overview.points": "pp",
        "overview.status": "Status",
        "overview.status.no_data": "No data",
        "overview.status.no_status": "Not rated",
        "overview.rule": "On track: target reached; at risk: at least 80% of the target; behind: "
                         "below 80%. Indicators without a target are compared with the previous period "
                         "(worse by at most 5%: at risk; by more: behind).",
        "overview.empty": "The warehouse has no figures yet. Load a report to see the overview.",
        "overview.units_of": "{n} units reported",
    },
}
