"""bulletin metadata, log entry details and hash-chain columns, station public key

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("station", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public_key", sa.String(length=64), nullable=False,
                                      server_default=""))
    with op.batch_alter_table("bulletin", schema=None) as batch_op:
        batch_op.add_column(sa.Column("category", sa.String(length=100), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("document_ref", sa.String(length=100), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("issuing_body", sa.String(length=200), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("valid_from", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("valid_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("priority_rank", sa.Integer(), nullable=False,
                                      server_default="0"))
    with op.batch_alter_table("broadcast_log_entry", schema=None) as batch_op:
        for name, length in (("session_key", 80), ("item_kind", 12), ("level", 12),
                             ("category", 100), ("document_ref", 100),
                             ("triggered_by", 100), ("station_id", 64), ("prev_hash", 64),
                             ("entry_hash", 64)):
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=False,
                                          server_default="bulletin" if name == "item_kind"
                                          else ""))
        batch_op.add_column(sa.Column("item_position", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("corrects_seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_broadcast_log_entry_seq"), ["seq"])


def downgrade() -> None:
    with op.batch_alter_table("broadcast_log_entry", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_broadcast_log_entry_seq"), type_="unique")
        for name in ("sealed_at", "corrects_seq", "seq", "note", "item_position",
                     "entry_hash", "prev_hash", "station_id", "triggered_by", "document_ref",
                     "category", "level", "item_kind", "session_key"):
            batch_op.drop_column(name)
    with op.batch_alter_table("bulletin", schema=None) as batch_op:
        for name in ("priority_rank", "valid_until", "valid_from", "issuing_body",
                     "document_ref", "category"):
            batch_op.drop_column(name)
    with op.batch_alter_table("station", schema=None) as batch_op:
        batch_op.drop_column("public_key")
