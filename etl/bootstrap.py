"""First start: build the warehouse from the bundled sample data when none exists."""

from __future__ import annotations

from pathlib import Path

from etl.loader import load_bytes, read_manifest, rebuild
from etl.warehouse import ROOT, Warehouse

SAMPLE_DIR = ROOT / "data" / "sample"
SAMPLE_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xls"}


def sample_files(directory: Path = SAMPLE_DIR) -> list[Path]:
    """The sample reports in load order (file names sort chronologically)."""
    return sorted(p for p in directory.iterdir() if p.suffix.lower() in SAMPLE_SUFFIXES and p.name != "README.md")


def open_warehouse(path: Path, with_sample: bool = True) -> Warehouse:
    """Open the warehouse at `path`, loading the sample reports if it is new.

    A sample file that fails validation is a bug in the sample, so it raises.
    """
    is_new = not path.exists()
    if is_new and read_manifest(path):
        # the file is gone but its archive is not: restore rather than start over
        rebuild(path)
        return Warehouse(path)
    wh = Warehouse(path)
    if is_new and with_sample:
        for file in sample_files():
            result = load_bytes(wh, file.read_bytes(), file.name, who="sample")
            if result.status == "invalid":
                wh.close()
                path.unlink(missing_ok=True)
                errors = "\n".join(f"{p.where()}: {p.message_en}" for p in result.problems if p.is_error)
                raise RuntimeError(f"sample file {file.name} does not validate:\n{errors}")
    return wh
