"""The database: the only part of LoaXa that imports SQLAlchemy and Alembic."""

from scheduler.persistence.db import Database

__all__ = ["Database"]
