"""Diagnostic logging: one rotating UTF-8 file per process kind (window, playout, command line).

The broadcast log is business data in the database; this file is for troubleshooting.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path


def setup_logging(log_dir: Path, process: str, level: int = logging.INFO) -> Path:
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / f"{process}.log"
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2 * 1024 * 1024, backupCount=5, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter(
        f"%(asctime)s {process}[{os.getpid()}] %(levelname)s %(name)s: %(message)s"
    ))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_loaxa", False)]:
        root.removeHandler(old)
        old.close()
    handler._loaxa = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return path
