"""`python -m etl aggregate`: dossier records -> online and on-time rates (long template)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def register(sub, add) -> None:
    p = add("aggregate", cmd_aggregate,
            "Tính tỷ lệ hồ sơ trực tuyến, đúng hạn từ hồ sơ / dossier records to online and on-time rates")
    p.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb", help="default: %(default)s")
    p.add_argument("--dossiers", required=True, help="Parquet hồ sơ (thư mục Hive, URI) / dossier Parquet folder or URI")
    p.add_argument("--out", required=True, help="tệp CSV mẫu dài / long-template CSV to write")
    p.add_argument("--master", default=os.environ.get("DX_SPARK_MASTER", "local[*]"),
                   help="Spark master (default: $DX_SPARK_MASTER or local[*])")
    p.add_argument("--remote", default=os.environ.get("DX_SPARK_REMOTE"), help="Spark Connect URL (sc://host:15002)")


def cmd_aggregate(args) -> int:
    from etl.aggregate import aggregate

    if "://" not in args.dossiers and not Path(args.dossiers.split("*")[0]).exists():
        print(f"Không tìm thấy / not found: {args.dossiers}", file=sys.stderr)
        return 2
    spark = None
    if args.engine == "spark":
        from dashboard.engines import spark_session, spark_unavailable

        if args.remote is None and (reason := spark_unavailable()):
            print(f"Spark: {reason}", file=sys.stderr)
            return 2
        spark = spark_session(master=args.master, remote=args.remote, app_name="dx-aggregate")
    result = aggregate(args.dossiers, Path(args.out), engine=args.engine, spark=spark)
    print(f"{result.rows} dòng / rows -> {args.out} ({result.engine}, {result.seconds:.1f} s); "
          f"kiểm tra / check: python -m etl check {args.out}")
    return 0
