"""Alembic environment. The app passes its open connection in ``config.attributes``;
developers can also run ``alembic`` with LOAXA_DATABASE_URL set (see docs/database.md)."""

import os

from alembic import context
from sqlalchemy import create_engine

from scheduler.persistence.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = os.environ["LOAXA_DATABASE_URL"]
    with create_engine(url).connect() as own:
        context.configure(connection=own, target_metadata=target_metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
