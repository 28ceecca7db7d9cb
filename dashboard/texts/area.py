"""Strings of the 'By area' page (dashboard/area_page.py); the rest comes from units.py."""

STRINGS = {
    "vi": {
        "area.level.district": "Kỳ trước {date}: cấp huyện (huyện, thị xã, thành phố)",
        "area.level.commune": "Từ {date}: cấp xã (xã, phường, đặc khu)",
        "area.level.former": "Gồm các huyện của: {names}.",
        "area.by.district": "theo huyện",
        "area.by.commune": "theo xã, phường",
        "area.all.district": "Các huyện, thị xã, thành phố",
        "area.all.commune": "Các xã, phường, đặc khu",
        "area.kind.city": "Thành phố",
        "area.kind.town": "Thị xã",
        "area.kind.district": "Huyện, quận",
        "area.kind.commune": "Xã, phường, đặc khu",
        "area.search": "Tìm đơn vị",
        "area.search_hint": "Gõ tên, có dấu hoặc không dấu: hai chau",
        "area.no_match": "Không có đơn vị nào có tên chứa “{text}”.",
        "area.ends": "Số đơn vị đầu và cuối",
        "area.show_all": "Xem tất cả",
        "area.ends_caption": "{n} đơn vị tốt nhất (trên vạch) và {n} đơn vị yếu nhất trong {total} đơn vị đã báo cáo; "
                             "bật “Xem tất cả” để xem đủ, hoặc xem bảng bên dưới.",
        "area.map_caption": (
            "Mỗi điểm đặt tại tâm của đơn vị (tọa độ từ bộ dữ liệu vietnamadminunits); "
            "ứng dụng không kèm ranh giới hành chính nên không vẽ bản đồ vùng."
        ),
        "area.section.table": "Bảng tất cả đơn vị",
        "area.table_caption": "{shown}/{total} đơn vị. Bấm vào tiêu đề cột để sắp xếp.",
        "area.col.rank": "Hạng",
        "area.col.status": "Tình trạng",
        "area.reported": "Đã báo cáo",
    },
    "en": {
        "area.level.district": "Periods before {date}: district level (districts, towns, cities)",
        "area.level.commune": "From {date}: commune level (communes, wards, special zones)",
        "area.level.former": "Including the districts of: {names}.",
        "area.by.district": "by district",
        "area.by.commune": "by commune",
        "area.all.district": "Districts, towns and cities",
        "area.all.commune": "Communes, wards and special zones",
        "area.kind.city": "City",
        "area.kind.town": "Town",
        "area.kind.district": "District",
        "area.kind.commune": "Commune, ward, special zone",
        "area.search": "Find a unit",
        "area.search_hint": "Type a name, with or without diacritics: hai chau",
        "area.no_match": "No unit's name contains “{text}”.",
        "area.ends": "Units at each end",
        "area.show_all": "Show all",
        "area.ends_caption": "The best {n} (above the line) and the weakest {n} of {total} units that reported; "
                             "turn on “Show all” for every unit, or see the table below.",
        "area.map_caption": (
            "Each marker sits at the unit's centroid (coordinates from the vietnamadminunits dataset); "
            "no boundaries are bundled with the app, so areas are not drawn."
        ),
        "area.section.table": "Table of every unit",
        "area.table_caption": "{shown}/{total} units. Click a column header to sort.",
        "area.col.rank": "Rank",
        "area.col.status": "Status",
        "area.reported": "Reported",
    },
}
