"""schedule model: series, occurrence changes, campaigns, quiet hours, emergencies, session runs

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "engine_heartbeat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alive_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engine_heartbeat")),
    )
    with op.batch_alter_table("audio_asset", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("title", sa.String(length=200), nullable=False, server_default="")
        )
    op.create_table(
        "quiet_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("start_local", sa.String(length=8), nullable=False),
        sa.Column("end_local", sa.String(length=8), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiet_hours")),
    )
    op.create_table(
        "session_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurrence_key", sa.String(length=80), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('on_air', 'done', 'missed')", name=op.f("ck_session_run_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_run")),
        sa.UniqueConstraint("occurrence_key", name=op.f("uq_session_run_occurrence_key")),
    )
    with op.batch_alter_table("session_run", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_run_scheduled_at"), ["scheduled_at"], unique=False
        )

    op.create_table(
        "session_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("start_local", sa.String(length=8), nullable=False),
        sa.Column("weekdays", sa.String(length=7), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("planned_length_s", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_series")),
    )
    op.create_table(
        "occurrence_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("occurrence_date", sa.Date(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("new_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("new_length_s", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "action IN ('cancel', 'move', 'extend')", name=op.f("ck_occurrence_change_action")
        ),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["session_series.id"],
            name=op.f("fk_occurrence_change_series_id_session_series"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_occurrence_change")),
        sa.UniqueConstraint(
            "series_id", "occurrence_date", name=op.f("uq_occurrence_change_series_id")
        ),
    )
    op.create_table(
        "campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("bulletin_id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("series_ids", sa.String(length=200), nullable=False),
        sa.Column("window_start", sa.String(length=8), nullable=False),
        sa.Column("window_end", sa.String(length=8), nullable=False),
        sa.Column("max_per_day", sa.Integer(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["bulletin_id"], ["bulletin.id"], name=op.f("fk_campaign_bulletin_id_bulletin")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign")),
    )
    op.create_table(
        "emergency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bulletin_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("repeat_minutes", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("plays", sa.Integer(), nullable=False),
        sa.Column("last_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('pending', 'repeating', 'done', 'cancelled')",
            name=op.f("ck_emergency_state"),
        ),
        sa.ForeignKeyConstraint(
            ["bulletin_id"], ["bulletin.id"], name=op.f("fk_emergency_bulletin_id_bulletin")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emergency")),
    )
    with op.batch_alter_table("emergency", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_emergency_state"), ["state"], unique=False)

    op.create_table(
        "series_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("bulletin_id", sa.Integer(), nullable=True),
        sa.Column("audio_asset_id", sa.Integer(), nullable=True),
        sa.Column("stream_url", sa.String(length=500), nullable=False),
        sa.Column("duration_s", sa.Integer(), nullable=True),
        sa.Column("fallback_asset_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["audio_asset_id"],
            ["audio_asset.id"],
            name=op.f("fk_series_item_audio_asset_id_audio_asset"),
        ),
        sa.ForeignKeyConstraint(
            ["bulletin_id"], ["bulletin.id"], name=op.f("fk_series_item_bulletin_id_bulletin")
        ),
        sa.ForeignKeyConstraint(
            ["fallback_asset_id"],
            ["audio_asset.id"],
            name=op.f("fk_series_item_fallback_asset_id_audio_asset"),
        ),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["session_series.id"],
            name=op.f("fk_series_item_series_id_session_series"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series_item")),
        sa.UniqueConstraint("series_id", "position", name=op.f("uq_series_item_series_id")),
    )
    with op.batch_alter_table("broadcast_session", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("planned_length_s", sa.Integer(), nullable=False, server_default="0")
        )

    with op.batch_alter_table("session_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("audio_asset_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("stream_url", sa.String(length=500), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("duration_s", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("fallback_asset_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_session_item_audio_asset_id_audio_asset"),
            "audio_asset",
            ["audio_asset_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_session_item_fallback_asset_id_audio_asset"),
            "audio_asset",
            ["fallback_asset_id"],
            ["id"],
        )

    with op.batch_alter_table("station", schema=None) as batch_op:
        batch_op.add_column(sa.Column("jingle_asset_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_station_jingle_asset_id_audio_asset"),
            "audio_asset",
            ["jingle_asset_id"],
            ["id"],
        )


def downgrade() -> None:
    op.drop_table("engine_heartbeat")
    with op.batch_alter_table("audio_asset", schema=None) as batch_op:
        batch_op.drop_column("title")
    with op.batch_alter_table("station", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_station_jingle_asset_id_audio_asset"), type_="foreignkey"
        )
        batch_op.drop_column("jingle_asset_id")

    with op.batch_alter_table("session_item", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_session_item_fallback_asset_id_audio_asset"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_session_item_audio_asset_id_audio_asset"), type_="foreignkey"
        )
        batch_op.drop_column("fallback_asset_id")
        batch_op.drop_column("duration_s")
        batch_op.drop_column("stream_url")
        batch_op.drop_column("audio_asset_id")

    with op.batch_alter_table("broadcast_session", schema=None) as batch_op:
        batch_op.drop_column("planned_length_s")

    op.drop_table("series_item")
    with op.batch_alter_table("emergency", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_emergency_state"))

    op.drop_table("emergency")
    op.drop_table("campaign")
    op.drop_table("occurrence_change")
    op.drop_table("session_series")
    with op.batch_alter_table("session_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_run_scheduled_at"))

    op.drop_table("session_run")
    op.drop_table("quiet_hours")
