"""index on broadcast_log_entry (status, scheduled_at) for the reports

Without it SQLite answers "aired entries of this month" through the index on status alone,
scanning every aired entry of all years (1.4 s instead of 40 ms on 1,000,000 entries).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_broadcast_log_entry_status_scheduled_at", "broadcast_log_entry",
                    ["status", "scheduled_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_broadcast_log_entry_status_scheduled_at",
                  table_name="broadcast_log_entry")
