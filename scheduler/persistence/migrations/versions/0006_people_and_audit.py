"""people and safety: users, the audit trail, bulletin approval

Bulletins that exist when this runs are approved by "migration" (at the moment of the
upgrade, for their level and text as they are), so upgrading never silences a commune's
schedule; the audit trail records that it happened.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

import hashlib
import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _fingerprint(level: str, body: str) -> str:
    # The formula of scheduler.people.approval_fingerprint, frozen here on purpose.
    return hashlib.sha256(f"{level}\n{body}".encode("utf-8", "surrogatepass")).hexdigest()


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("roles", sa.String(length=100), nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("name", name=op.f("uq_app_user_name")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=100), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
    with op.batch_alter_table("bulletin", schema=None) as batch_op:
        batch_op.add_column(sa.Column("approved_by", sa.String(length=100), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("approved_at", sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column("approved_sha256", sa.String(length=64),
                                      nullable=False, server_default=""))

    # Existing bulletins: approved by "migration", so nothing scheduled goes silent.
    bind = op.get_bind()
    now = datetime.now(UTC)
    stored_now = now.replace(tzinfo=None) if bind.dialect.name == "sqlite" else now
    bulletin = sa.table("bulletin", sa.column("id", sa.Integer()),
                        sa.column("level", sa.String()), sa.column("body", sa.Text()),
                        sa.column("approved_by", sa.String()),
                        sa.column("approved_at", sa.DateTime(timezone=True)),
                        sa.column("approved_sha256", sa.String()))
    audit = sa.table("audit_event", sa.column("at", sa.DateTime(timezone=True)),
                     sa.column("actor", sa.String()), sa.column("action", sa.String()),
                     sa.column("target", sa.String()), sa.column("details", sa.Text()))
    rows = bind.execute(sa.select(bulletin.c.id, bulletin.c.level, bulletin.c.body)).all()
    for ident, level, body in rows:
        bind.execute(bulletin.update().where(bulletin.c.id == ident).values(
            approved_by="migration", approved_at=stored_now,
            approved_sha256=_fingerprint(level, body)))
    if rows:
        bind.execute(audit.insert().values(
            at=stored_now, actor="migration", action="bulletin_approved", target="bulletin:*",
            details=json.dumps({"count": len(rows), "ids": [r[0] for r in rows][:1000],
                                "why": "upgrade 0006: existing bulletins stay on air"})))


def downgrade() -> None:
    with op.batch_alter_table("bulletin", schema=None) as batch_op:
        batch_op.drop_column("approved_sha256")
        batch_op.drop_column("approved_at")
        batch_op.drop_column("approved_by")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))
    op.drop_table("audit_event")
    op.drop_table("app_user")
