"""API: scoped tokens (writing signalen for one gemeente) and webhooks with their delivery log

Revision ID: 0014
Revises: 0011 (0010 on main; 0011 came with the merge of wt-signalen)

- api_token.scope ('lezen' for every existing token) and api_token.gemeente_id.
- webhook: a gemeente's registered URL and its signing secret.
- webhook_aflevering: one row per event and webhook, written in the transaction of the change
  (the outbox); a background sender claims rows by a lease (facilitatie/bezorging.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope", sa.String(length=40), server_default="lezen", nullable=False))
        batch_op.add_column(sa.Column("gemeente_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_api_token_gemeente_id"), ["gemeente_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_api_token_gemeente_id_gemeente"), "gemeente", ["gemeente_id"], ["id"], ondelete="CASCADE"
        )

    op.create_table(
        "webhook",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gemeente_id", sa.Integer(), nullable=False),
        sa.Column("naam", sa.String(length=80), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("geheim", sa.String(length=80), nullable=False),
        sa.Column("aangemaakt_door_id", sa.Integer(), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(), nullable=False),
        sa.Column("ingetrokken_op", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["aangemaakt_door_id"],
            ["gebruiker.id"],
            name=op.f("fk_webhook_aangemaakt_door_id_gebruiker"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["gemeente_id"], ["gemeente.id"], name=op.f("fk_webhook_gemeente_id_gemeente"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook")),
    )
    with op.batch_alter_table("webhook", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_webhook_gemeente_id"), ["gemeente_id"], unique=False)

    op.create_table(
        "webhook_aflevering",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("webhook_id", sa.Integer(), nullable=False),
        sa.Column("sleutel", sa.String(length=36), nullable=False),
        sa.Column("gebeurtenis", sa.String(length=40), nullable=False),
        sa.Column("inhoud", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("pogingen", sa.Integer(), nullable=False),
        sa.Column("volgende_poging", sa.DateTime(), nullable=False),
        sa.Column("bezet_tot", sa.DateTime(), nullable=True),
        sa.Column("statuscode", sa.Integer(), nullable=True),
        sa.Column("fout", sa.String(length=300), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(), nullable=False),
        sa.Column("laatste_poging_op", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["webhook_id"], ["webhook.id"], name=op.f("fk_webhook_aflevering_webhook_id_webhook"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_aflevering")),
        sa.UniqueConstraint("sleutel", name=op.f("uq_webhook_aflevering_sleutel")),
    )
    with op.batch_alter_table("webhook_aflevering", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_webhook_aflevering_webhook_id"), ["webhook_id"], unique=False)
        batch_op.create_index(
            "ix_webhook_aflevering_status_volgende_poging", ["status", "volgende_poging"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("webhook_aflevering", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_aflevering_status_volgende_poging")
        batch_op.drop_index(batch_op.f("ix_webhook_aflevering_webhook_id"))
    op.drop_table("webhook_aflevering")
    with op.batch_alter_table("webhook", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_gemeente_id"))
    op.drop_table("webhook")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_api_token_gemeente_id_gemeente"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_api_token_gemeente_id"))
        batch_op.drop_column("gemeente_id")
        batch_op.drop_column("scope")
