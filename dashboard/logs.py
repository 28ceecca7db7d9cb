"""The app's own log lines (warehouse opened, inbox imports, failures) on stderr.

Streamlit configures only its own `streamlit.*` loggers; without this, INFO lines
of `dashboard.*` and `etl.*` are dropped and errors reach stderr without a time.
`DX_LOG_LEVEL` (default INFO) sets the level.
"""

from __future__ import annotations

import logging
import os

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup() -> None:
    """Give the `dashboard` and `etl` loggers one stderr handler (once per process)."""
    level = os.environ.get("DX_LOG_LEVEL", "INFO").upper()
    for name in ("dashboard", "etl"):
        logger = logging.getLogger(name)
        if any(getattr(h, "_dx", False) for h in logger.handlers):
            continue
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(_FORMAT))
        handler._dx = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(getattr(logging, level, logging.INFO))
        logger.propagate = False
