"""Foundation: organisations, agreements, accounts, audit log, reference data.

Revision ID: 20261123_01
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "20261123_01"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "bapas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=60), nullable=False),
        sa.Column("email", sa.String(length=160), nullable=False),
        sa.Column("head_name", sa.String(length=160), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lng", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bapas")),
        sa.UniqueConstraint("code", name=op.f("uq_bapas_code")),
    )
    op.create_table(
        "job_category",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("examples", sa.JSON(), nullable=False),
        sa.Column("sort", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_job_category")),
    )
    op.create_table(
        "job_form",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("body", sa.String(length=200), nullable=False),
        sa.Column("sector", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("place_type", sa.String(length=40), nullable=True),
        sa.Column("forms", sa.JSON(), nullable=False),
        sa.Column("sort", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_form")),
        sa.UniqueConstraint("body", name=op.f("uq_job_form_body")),
    )
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    op.create_table(
        "pemda",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("short_name", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("phone", sa.String(length=60), nullable=False),
        sa.Column("email", sa.String(length=160), nullable=False),
        sa.Column("head_name", sa.String(length=160), nullable=False),
        sa.Column("head_title", sa.String(length=160), nullable=False),
        sa.Column("boundary", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pemda")),
        sa.UniqueConstraint("code", name=op.f("uq_pemda_code")),
    )
    op.create_table(
        "place_type",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("sort", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_place_type")),
    )
    op.create_table(
        "agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bapas_id", sa.Integer(), nullable=False),
        sa.Column("pemda_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("number_bapas", sa.String(length=120), nullable=True),
        sa.Column("number_pemda", sa.String(length=120), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("signatory_bapas", sa.String(length=160), nullable=False),
        sa.Column("signatory_pemda", sa.String(length=160), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["bapas_id"], ["bapas.id"], name=op.f("fk_agreement_bapas_id_bapas")
        ),
        sa.ForeignKeyConstraint(
            ["pemda_id"], ["pemda.id"], name=op.f("fk_agreement_pemda_id_pemda")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement")),
        sa.UniqueConstraint("bapas_id", "pemda_id", name="uq_agreement_pair"),
    )
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreement_bapas_id"), ["bapas_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreement_pemda_id"), ["pemda_id"], unique=False)
    op.create_table(
        "opd",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pemda_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("short_name", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("phone", sa.String(length=60), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lng", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["pemda_id"], ["pemda.id"], name=op.f("fk_opd_pemda_id_pemda")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opd")),
        sa.UniqueConstraint("code", name=op.f("uq_opd_code")),
    )
    with op.batch_alter_table("opd", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opd_pemda_id"), ["pemda_id"], unique=False)
    op.create_table(
        "addendum",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=120), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("new_valid_until", sa.Date(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreement.id"], name=op.f("fk_addendum_agreement_id_agreement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_addendum")),
    )
    with op.batch_alter_table("addendum", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_addendum_agreement_id"), ["agreement_id"], unique=False
        )
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("full_name", sa.String(length=160), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("nip", sa.String(length=18), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("position", sa.String(length=160), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("bapas_id", sa.Integer(), nullable=True),
        sa.Column("pemda_id", sa.Integer(), nullable=True),
        sa.Column("opd_id", sa.Integer(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("oidc_subject", sa.String(length=255), nullable=True),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["bapas_id"], ["bapas.id"], name=op.f("fk_user_account_bapas_id_bapas")
        ),
        sa.ForeignKeyConstraint(["opd_id"], ["opd.id"], name=op.f("fk_user_account_opd_id_opd")),
        sa.ForeignKeyConstraint(
            ["pemda_id"], ["pemda.id"], name=op.f("fk_user_account_pemda_id_pemda")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
        sa.UniqueConstraint("oidc_subject", name=op.f("uq_user_account_oidc_subject")),
        sa.UniqueConstraint("username", name=op.f("uq_user_account_username")),
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_account_bapas_id"), ["bapas_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_user_account_opd_id"), ["opd_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_user_account_pemda_id"), ["pemda_id"], unique=False)
    op.create_table(
        "workplan_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("stage_name", sa.String(length=120), nullable=False),
        sa.Column("activity", sa.Text(), nullable=False),
        sa.Column("responsible", sa.String(length=200), nullable=False),
        sa.Column("responsible_party", sa.String(length=10), nullable=False),
        sa.Column("responsible_opd_id", sa.Integer(), nullable=True),
        sa.Column("output", sa.String(length=300), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("metric", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreement.id"],
            name=op.f("fk_workplan_activity_agreement_id_agreement"),
        ),
        sa.ForeignKeyConstraint(
            ["responsible_opd_id"],
            ["opd.id"],
            name=op.f("fk_workplan_activity_responsible_opd_id_opd"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workplan_activity")),
        sa.UniqueConstraint("agreement_id", "seq", name="uq_workplan_activity_seq"),
    )
    with op.batch_alter_table("workplan_activity", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workplan_activity_agreement_id"), ["agreement_id"], unique=False
        )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.String(length=40), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("user_agent", sa.String(length=300), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_audit_log_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_user_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
        batch_op.drop_index(batch_op.f("ix_audit_log_action"))
    op.drop_table("audit_log")
    with op.batch_alter_table("workplan_activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workplan_activity_agreement_id"))
    op.drop_table("workplan_activity")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_account_pemda_id"))
        batch_op.drop_index(batch_op.f("ix_user_account_opd_id"))
        batch_op.drop_index(batch_op.f("ix_user_account_bapas_id"))
    op.drop_table("user_account")
    with op.batch_alter_table("addendum", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_addendum_agreement_id"))
    op.drop_table("addendum")
    with op.batch_alter_table("opd", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opd_pemda_id"))
    op.drop_table("opd")
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_pemda_id"))
        batch_op.drop_index(batch_op.f("ix_agreement_bapas_id"))
    op.drop_table("agreement")
    op.drop_table("place_type")
    op.drop_table("pemda")
    op.drop_table("login_throttle")
    op.drop_table("job_form")
    op.drop_table("job_category")
    op.drop_table("bapas")
    # ### end Alembic commands ###
