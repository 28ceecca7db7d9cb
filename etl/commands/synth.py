"""`python -m etl synth`: synthetic data at province, national or dossier scale (issue 6)."""

from __future__ import annotations

from pathlib import Path


def register(sub, add) -> None:
    p = add("synth", cmd_synth, "Tạo dữ liệu tổng hợp để đo hiệu năng / synthetic data for the scale benchmarks")
    p.add_argument("--scale", required=True, choices=("province", "national", "dossiers"))
    p.add_argument("--out", required=True, help="thư mục đích / output folder")
    p.add_argument("--seed", type=int, default=None, help="hạt giống / seed (same seed, same data)")
    p.add_argument("--weeks", type=int, default=260, help="số tuần / weeks (national, default 260)")
    p.add_argument("--communes", type=int, default=3321, help="số xã / communes (default 3321)")
    p.add_argument("--provinces", type=int, default=34, help="số tỉnh / provinces (default 34)")
    p.add_argument("--dossiers", type=int, default=10_000_000, help="số hồ sơ / dossier records (default 10 M)")
    p.add_argument("--csv", type=int, default=0, metavar="ROWS",
                   help="national: also write long-template CSV chunks of ROWS rows each")
    p.add_argument("--no-warehouse", action="store_true", help="national: skip building warehouse.duckdb")


def cmd_synth(args) -> int:
    from etl import synth

    out = Path(args.out)
    seed = synth.DEFAULT_SEED if args.seed is None else args.seed
    if args.provinces < 1 or args.communes < args.provinces or args.weeks < 1:
        print("--provinces ≥ 1, --communes ≥ --provinces, --weeks ≥ 1")
        return 2
    size = synth.NationalSize(provinces=args.provinces, communes=args.communes, weeks=args.weeks)
    if args.scale == "province":
        synth.generate_province(out)
    elif args.scale == "national":
        synth.generate_national(out, size, seed, csv_chunk_rows=args.csv or None, warehouse=not args.no_warehouse)
        print(f"Mở bằng / open with: DX_REFERENCE_DIR={out / 'reference'} DX_WAREHOUSE={out / 'warehouse.duckdb'}")
    else:
        synth.generate_dossiers(out, args.dossiers, seed, size)
    return 0
