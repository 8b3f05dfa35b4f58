"""Dependency direction app → scheduler → media; PySide6 only in app/; SQLAlchemy and Alembic
only in scheduler/persistence/."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RULES = [
    # (package folder, forbidden top-level import, allowed sub-folder or None)
    ("media", "app", None),
    ("media", "scheduler", None),
    ("media", "PySide6", None),
    ("media", "sqlalchemy", None),
    ("media", "alembic", None),
    ("scheduler", "app", None),
    ("scheduler", "PySide6", None),
    ("scheduler", "sqlalchemy", "scheduler/persistence"),
    ("scheduler", "alembic", "scheduler/persistence"),
    ("app", "sqlalchemy", None),
    ("app", "alembic", None),
]


def imported_modules(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def violations(root: Path) -> list[str]:
    found = []
    for package, forbidden, allowed in RULES:
        for path in sorted((root / package).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if allowed and rel.startswith(allowed + "/"):
                continue
            if forbidden in imported_modules(path.read_text(encoding="utf-8")):
                found.append(f"{rel} imports {forbidden}")
    return found


def test_dependency_direction_holds() -> None:
    assert violations(ROOT) == []


def test_checker_catches_a_backwards_import(tmp_path: Path) -> None:
    for package in ("app", "media", "scheduler/persistence"):
        (tmp_path / package).mkdir(parents=True)
    (tmp_path / "media" / "bad.py").write_text("from scheduler.playout import X\n")
    (tmp_path / "scheduler" / "qt.py").write_text("import PySide6.QtCore\n")
    (tmp_path / "scheduler" / "persistence" / "ok.py").write_text("import sqlalchemy\n")
    (tmp_path / "app" / "db.py").write_text("def f():\n    import sqlalchemy.orm\n")
    assert violations(tmp_path) == [
        "media/bad.py imports scheduler",
        "scheduler/qt.py imports PySide6",
        "app/db.py imports sqlalchemy",
    ]


def test_headless_modules_do_not_load_qt() -> None:
    import subprocess
    import sys

    code = ("import sys, app.cli, app.services, scheduler.playout, scheduler.player, "
            "scheduler.export, media.render; "
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "False"
