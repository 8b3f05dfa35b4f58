"""Database.upgrade() at every start: Alembic is loaded only when there is something to
migrate (importing it costs 0.3–1 s of every window and command start)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from scheduler.persistence import Database
from scheduler.persistence.db import migration_heads
from tests.conftest import ROOT


def test_heads_of_the_shipped_migrations() -> None:
    versions = ROOT / "scheduler" / "persistence" / "migrations" / "versions"
    newest = max(p.name.split("_")[0] for p in versions.glob("0*.py"))
    assert migration_heads() == [newest]


def test_heads_follow_branches_and_merges(tmp_path: Path) -> None:
    def script(name: str, revision: str, down: object) -> None:
        (tmp_path / f"{name}.py").write_text(
            f'"""x"""\nrevision = "{revision}"\ndown_revision = {down!r}\n', encoding="utf-8")

    script("a", "a1", None)
    script("b", "b1", "a1")
    script("c", "c1", "a1")
    assert migration_heads(tmp_path) == ["b1", "c1"]  # two heads: Alembic decides
    script("d", "d1", ("b1", "c1"))
    assert migration_heads(tmp_path) == ["d1"]


def test_a_database_at_head_starts_without_alembic(tmp_path: Path) -> None:
    url = "sqlite:///" + (tmp_path / "t.db").as_posix()
    db = Database(url)
    db.upgrade()  # fresh: Alembic migrates
    assert db._at_head()
    db.close()
    code = ("import sys\nfrom scheduler.persistence import Database\n"
            f"db = Database({url!r})\ndb.upgrade()\nprint('alembic' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "False"


def test_an_older_database_is_still_migrated(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    from scheduler.persistence.db import MIGRATIONS_DIR

    db = Database("sqlite:///" + (tmp_path / "t.db").as_posix())
    db.upgrade()
    head = db.schema_revision()
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with db.engine.begin() as connection:  # back to the schema of the previous version
        config.attributes["connection"] = connection
        command.downgrade(config, "-1")
    older = db.schema_revision()
    assert older != head and not db._at_head()
    db.upgrade()
    assert db.schema_revision() == head and db._at_head()
    with db.engine.begin() as connection:  # a revision the scripts do not know
        connection.execute(text("UPDATE alembic_version SET version_num = 'zz'"))
    assert not db._at_head()
    db.close()


def test_revision_sees_new_and_finished_log_entries(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from scheduler.records import LogStatus

    db = Database("sqlite:///" + (tmp_path / "t.db").as_posix())
    db.upgrade()
    at = datetime(2026, 12, 1, tzinfo=UTC)
    empty = db.revision()
    entry = db.add_log_entry(scheduled_at=at, status=LogStatus.PLAYING, started_at=at,
                             bulletin_title="Tin")
    playing = db.revision()
    db.finish_log_entry(entry, status=LogStatus.PLAYED, ended_at=at + timedelta(seconds=30),
                        played_ms=30_000)
    played = db.revision()
    assert len({empty, playing, played}) == 3
    assert db.revision() == played  # nothing written: unchanged
    db.close()
