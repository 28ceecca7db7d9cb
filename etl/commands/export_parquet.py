"""`python -m etl export-parquet`: the warehouse as Hive-partitioned Parquet (DuckDB and Spark read it)."""

from __future__ import annotations

import sys
from pathlib import Path


def register(sub, add) -> None:
    p = add("export-parquet", cmd_export_parquet,
            "Xuất kho ra Parquet (theo tỉnh, năm) / export the warehouse as Parquet, by province and year")
    p.add_argument("--out", required=True, help="thư mục đích (thay thế toàn bộ) / output folder (replaced whole)")


def cmd_export_parquet(args) -> int:
    from etl.parquet_export import export_parquet
    from etl.warehouse import WarehouseBusy

    if not Path(args.db).is_file():
        print(f"Không tìm thấy kho / warehouse not found: {args.db}", file=sys.stderr)
        return 2
    try:
        summary = export_parquet(Path(args.db), Path(args.out))
    except WarehouseBusy:
        print(f"Kho {args.db} đang được tiến trình khác ghi / {args.db} is open for writing elsewhere (the app?)",
              file=sys.stderr)
        return 2
    print(f"{summary['indicator_values']} giá trị / values in {summary['partitions']} partitions, "
          f"{summary['units']} units, {summary['loads']} loads -> {args.out} (data version {summary['data_version']})")
    return 0
