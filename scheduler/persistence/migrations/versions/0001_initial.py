"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audio_asset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rel_path", sa.String(length=300), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("engine", sa.String(length=40), nullable=False),
        sa.Column("voice", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audio_asset")),
        sa.UniqueConstraint("sha256", name=op.f("uq_audio_asset_sha256")),
    )
    op.create_table(
        "broadcast_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('scheduled', 'on_air', 'done', 'missed', 'cancelled')",
            name=op.f("ck_broadcast_session_state"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcast_session")),
    )
    with op.batch_alter_table("broadcast_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_broadcast_session_scheduled_at"), ["scheduled_at"], unique=False
        )
        batch_op.create_index(
            "ix_broadcast_session_state_scheduled_at", ["state", "scheduled_at"], unique=False
        )

    op.create_table(
        "station",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_name", sa.String(length=200), nullable=False),
        sa.Column("admin_code", sa.String(length=20), nullable=False),
        sa.Column("centre_name", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_station")),
    )
    op.create_table(
        "bulletin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=12), nullable=False),
        sa.Column("source_name", sa.String(length=300), nullable=False),
        sa.Column("audio_asset_id", sa.Integer(), nullable=True),
        sa.Column("audio_source_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "level IN ('normal', 'priority', 'emergency')", name=op.f("ck_bulletin_level")
        ),
        sa.ForeignKeyConstraint(
            ["audio_asset_id"],
            ["audio_asset.id"],
            name=op.f("fk_bulletin_audio_asset_id_audio_asset"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulletin")),
    )
    op.create_table(
        "session_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("bulletin_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["bulletin_id"], ["bulletin.id"], name=op.f("fk_session_item_bulletin_id_bulletin")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["broadcast_session.id"],
            name=op.f("fk_session_item_session_id_broadcast_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_item")),
        sa.UniqueConstraint("session_id", "position", name=op.f("uq_session_item_session_id")),
    )
    op.create_table(
        "broadcast_log_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("session_item_id", sa.Integer(), nullable=True),
        sa.Column("bulletin_id", sa.Integer(), nullable=True),
        sa.Column("bulletin_title", sa.String(length=300), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("audio_sha256", sa.String(length=64), nullable=False),
        sa.Column("played_ms", sa.Integer(), nullable=False),
        sa.Column("output_device", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('playing', 'played', 'partial', 'failed', 'interrupted', 'missed',"
            " 'skipped')",
            name=op.f("ck_broadcast_log_entry_status"),
        ),
        sa.ForeignKeyConstraint(
            ["bulletin_id"],
            ["bulletin.id"],
            name=op.f("fk_broadcast_log_entry_bulletin_id_bulletin"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["broadcast_session.id"],
            name=op.f("fk_broadcast_log_entry_session_id_broadcast_session"),
        ),
        sa.ForeignKeyConstraint(
            ["session_item_id"],
            ["session_item.id"],
            name=op.f("fk_broadcast_log_entry_session_item_id_session_item"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcast_log_entry")),
    )
    with op.batch_alter_table("broadcast_log_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_broadcast_log_entry_scheduled_at"), ["scheduled_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_broadcast_log_entry_session_id"), ["session_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_broadcast_log_entry_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("broadcast_log_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_broadcast_log_entry_status"))
        batch_op.drop_index(batch_op.f("ix_broadcast_log_entry_session_id"))
        batch_op.drop_index(batch_op.f("ix_broadcast_log_entry_scheduled_at"))

    op.drop_table("broadcast_log_entry")
    op.drop_table("session_item")
    op.drop_table("bulletin")
    op.drop_table("station")
    with op.batch_alter_table("broadcast_session", schema=None) as batch_op:
        batch_op.drop_index("ix_broadcast_session_state_scheduled_at")
        batch_op.drop_index(batch_op.f("ix_broadcast_session_scheduled_at"))

    op.drop_table("broadcast_session")
    op.drop_table("audio_asset")
