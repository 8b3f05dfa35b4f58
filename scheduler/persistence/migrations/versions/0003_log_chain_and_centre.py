"""append-only sealed log entries (triggers), the chain-head lock row, centre tables

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

REFUSED = "loaxa: sealed log entries are append-only"

SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER broadcast_log_entry_sealed_no_update
        BEFORE UPDATE ON broadcast_log_entry FOR EACH ROW WHEN OLD.seq IS NOT NULL
        BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    f"""CREATE TRIGGER broadcast_log_entry_sealed_no_delete
        BEFORE DELETE ON broadcast_log_entry FOR EACH ROW WHEN OLD.seq IS NOT NULL
        BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    f"""CREATE TRIGGER centre_log_entry_no_update
        BEFORE UPDATE ON centre_log_entry FOR EACH ROW
        BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    f"""CREATE TRIGGER centre_log_entry_no_delete
        BEFORE DELETE ON centre_log_entry FOR EACH ROW
        BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
)

POSTGRESQL_TRIGGERS = (
    f"""CREATE FUNCTION loaxa_refuse_sealed_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{REFUSED} (% on %)', TG_OP, TG_TABLE_NAME; END $$""",
    """CREATE TRIGGER broadcast_log_entry_sealed
        BEFORE UPDATE OR DELETE ON broadcast_log_entry FOR EACH ROW
        WHEN (OLD.seq IS NOT NULL) EXECUTE FUNCTION loaxa_refuse_sealed_change()""",
    """CREATE TRIGGER broadcast_log_entry_no_truncate
        BEFORE TRUNCATE ON broadcast_log_entry FOR EACH STATEMENT
        EXECUTE FUNCTION loaxa_refuse_sealed_change()""",
    """CREATE TRIGGER centre_log_entry_append_only
        BEFORE UPDATE OR DELETE ON centre_log_entry FOR EACH ROW
        EXECUTE FUNCTION loaxa_refuse_sealed_change()""",
    """CREATE TRIGGER centre_log_entry_no_truncate
        BEFORE TRUNCATE ON centre_log_entry FOR EACH STATEMENT
        EXECUTE FUNCTION loaxa_refuse_sealed_change()""",
)


def upgrade() -> None:
    op.create_table(
        "centre_log_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.String(length=16), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("played_ms", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("session_item_id", sa.Integer(), nullable=True),
        sa.Column("session_key", sa.Text(), nullable=False),
        sa.Column("item_position", sa.Integer(), nullable=True),
        sa.Column("item_kind", sa.Text(), nullable=False),
        sa.Column("bulletin_id", sa.Integer(), nullable=True),
        sa.Column("bulletin_title", sa.Text(), nullable=False),
        sa.Column("level", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("document_ref", sa.Text(), nullable=False),
        sa.Column("audio_sha256", sa.Text(), nullable=False),
        sa.Column("output_device", sa.Text(), nullable=False),
        sa.Column("triggered_by", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("corrects_seq", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_centre_log_entry")),
        sa.UniqueConstraint("station_id", "seq", name=op.f("uq_centre_log_entry_station_id")),
    )
    with op.batch_alter_table("centre_log_entry", schema=None) as batch_op:
        batch_op.create_index("ix_centre_log_entry_scheduled_at_station_id",
                              ["scheduled_at", "station_id"], unique=False)
    op.create_table(
        "centre_station",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.String(length=16), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("commune_name", sa.Text(), nullable=False),
        sa.Column("admin_code", sa.String(length=20), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_centre_station")),
        sa.UniqueConstraint("public_key", name=op.f("uq_centre_station_public_key")),
        sa.UniqueConstraint("station_id", name=op.f("uq_centre_station_station_id")),
    )
    head = op.create_table(
        "log_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log_chain_head")),
    )
    op.bulk_insert(head, [{"id": 1, "last_seq": 0}])
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        for statement in POSTGRESQL_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in ("broadcast_log_entry_sealed_no_update", "broadcast_log_entry_sealed_no_delete",
                     "centre_log_entry_no_update", "centre_log_entry_no_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif bind.dialect.name == "postgresql":
        for name, table in (("broadcast_log_entry_sealed", "broadcast_log_entry"),
                            ("broadcast_log_entry_no_truncate", "broadcast_log_entry"),
                            ("centre_log_entry_append_only", "centre_log_entry"),
                            ("centre_log_entry_no_truncate", "centre_log_entry")):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS loaxa_refuse_sealed_change()")
    op.drop_table("log_chain_head")
    op.drop_table("centre_station")
    with op.batch_alter_table("centre_log_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_centre_log_entry_scheduled_at_station_id")
    op.drop_table("centre_log_entry")
