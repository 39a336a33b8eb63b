"""Meldingen per e-mail: the outbox (mail) and who asked for which mails (meldingvoorkeur).

Revision ID: 0013
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("soort", sa.String(length=40), nullable=False),
        sa.Column("ontvanger_id", sa.Integer(), nullable=True),
        sa.Column("gemeente_id", sa.Integer(), nullable=True),
        sa.Column("aan", sa.String(length=254), nullable=False),
        sa.Column("onderwerp", sa.String(length=200), nullable=False),
        sa.Column("tekst", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("afmeldlink", sa.String(length=500), nullable=True),
        sa.Column("sleutel", sa.String(length=120), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("pogingen", sa.Integer(), nullable=False),
        sa.Column("volgende_poging_op", sa.DateTime(), nullable=False),
        sa.Column("geclaimd_tot", sa.DateTime(), nullable=True),
        sa.Column("geclaimd_door", sa.String(length=32), nullable=True),
        sa.Column("laatste_poging_op", sa.DateTime(), nullable=True),
        sa.Column("fout", sa.Text(), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(), nullable=False),
        sa.Column("verstuurd_op", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["gemeente_id"], ["gemeente.id"], name=op.f("fk_mail_gemeente_id_gemeente"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["ontvanger_id"], ["gebruiker.id"], name=op.f("fk_mail_ontvanger_id_gebruiker"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail")),
        sa.UniqueConstraint("sleutel", name=op.f("uq_mail_sleutel")),
    )
    op.create_index("ix_mail_status_volgende_poging_op", "mail", ["status", "volgende_poging_op"])
    op.create_index(op.f("ix_mail_ontvanger_id"), "mail", ["ontvanger_id"])
    op.create_index(op.f("ix_mail_gemeente_id"), "mail", ["gemeente_id"])
    op.create_index(op.f("ix_mail_laatste_poging_op"), "mail", ["laatste_poging_op"])
    op.create_index(op.f("ix_mail_aangemaakt_op"), "mail", ["aangemaakt_op"])
    op.create_table(
        "meldingvoorkeur",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("soort", sa.String(length=40), nullable=False),
        sa.Column("aangezet_op", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["gebruiker.id"], name=op.f("fk_meldingvoorkeur_user_id_gebruiker"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "soort", name=op.f("pk_meldingvoorkeur")),
    )


def downgrade() -> None:
    op.drop_table("meldingvoorkeur")
    op.drop_index(op.f("ix_mail_aangemaakt_op"), table_name="mail")
    op.drop_index(op.f("ix_mail_laatste_poging_op"), table_name="mail")
    op.drop_index(op.f("ix_mail_gemeente_id"), table_name="mail")
    op.drop_index(op.f("ix_mail_ontvanger_id"), table_name="mail")
    op.drop_index("ix_mail_status_volgende_poging_op", table_name="mail")
    op.drop_table("mail")
