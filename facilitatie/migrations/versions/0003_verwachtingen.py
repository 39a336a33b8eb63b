"""verwachtingen: beoordelingen per ronde, rondes, drempels, ambitie

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "verwachting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sessie_id", sa.Integer(), nullable=False),
        sa.Column("gemeente_id", sa.Integer(), nullable=False),
        sa.Column("tekst", sa.String(length=300), nullable=False),
        sa.Column("bron", sa.String(length=200), nullable=True),
        sa.Column("toelichting", sa.Text(), nullable=True),
        sa.Column("volgorde", sa.Integer(), nullable=False),
        sa.Column("knelpunt_id", sa.Integer(), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["gemeente_id"], ["gemeente.id"], name=op.f("fk_verwachting_gemeente_id_gemeente")),
        sa.ForeignKeyConstraint(
            ["knelpunt_id"], ["knelpunt.id"], name=op.f("fk_verwachting_knelpunt_id_knelpunt"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["sessie_id"], ["sessie.id"], name=op.f("fk_verwachting_sessie_id_sessie"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verwachting")),
    )
    with op.batch_alter_table("verwachting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_verwachting_gemeente_id"), ["gemeente_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_verwachting_knelpunt_id"), ["knelpunt_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_verwachting_sessie_id"), ["sessie_id"], unique=False)

    op.create_table(
        "verwachting_beoordeling",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("verwachting_id", sa.Integer(), nullable=False),
        sa.Column("deelnemer_id", sa.Integer(), nullable=False),
        sa.Column("ronde", sa.Integer(), nullable=False),
        sa.Column("wenselijk", sa.Integer(), nullable=True),
        sa.Column("haalbaar", sa.Integer(), nullable=True),
        sa.Column("perspectief", sa.String(length=20), nullable=False),
        sa.Column("bijgewerkt_op", sa.DateTime(), nullable=False),
        sa.CheckConstraint("ronde IN (1, 2)", name=op.f("ck_verwachting_beoordeling_ronde")),
        sa.CheckConstraint(
            "wenselijk IS NULL OR (wenselijk BETWEEN 1 AND 5)", name=op.f("ck_verwachting_beoordeling_wenselijk")
        ),
        sa.CheckConstraint(
            "haalbaar IS NULL OR (haalbaar BETWEEN 1 AND 5)", name=op.f("ck_verwachting_beoordeling_haalbaar")
        ),
        sa.ForeignKeyConstraint(
            ["deelnemer_id"],
            ["deelnemer.id"],
            name=op.f("fk_verwachting_beoordeling_deelnemer_id_deelnemer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["verwachting_id"],
            ["verwachting.id"],
            name=op.f("fk_verwachting_beoordeling_verwachting_id_verwachting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verwachting_beoordeling")),
        sa.UniqueConstraint(
            "verwachting_id", "deelnemer_id", "ronde", name="uq_verwachting_beoordeling_per_ronde"
        ),
    )
    with op.batch_alter_table("verwachting_beoordeling", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_verwachting_beoordeling_deelnemer_id"), ["deelnemer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_verwachting_beoordeling_verwachting_id"), ["verwachting_id"], unique=False
        )

    op.create_table(
        "verwachting_ronde",
        sa.Column("sessie_id", sa.Integer(), nullable=False),
        sa.Column("ronde", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("geopend_op", sa.DateTime(), nullable=False),
        sa.Column("gesloten_op", sa.DateTime(), nullable=True),
        sa.CheckConstraint("ronde IN (1, 2)", name=op.f("ck_verwachting_ronde_ronde")),
        sa.ForeignKeyConstraint(
            ["sessie_id"], ["sessie.id"], name=op.f("fk_verwachting_ronde_sessie_id_sessie"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("sessie_id", "ronde", name=op.f("pk_verwachting_ronde")),
    )

    op.create_table(
        "verwachting_instelling",
        sa.Column("sessie_id", sa.Integer(), nullable=False),
        sa.Column("iqr_max", sa.Float(), nullable=False),
        sa.Column("aandeel_min", sa.Float(), nullable=False),
        sa.Column("min_groep", sa.Integer(), nullable=False),
        sa.CheckConstraint("min_groep >= 3", name=op.f("ck_verwachting_instelling_min_groep")),
        sa.ForeignKeyConstraint(
            ["sessie_id"], ["sessie.id"], name=op.f("fk_verwachting_instelling_sessie_id_sessie"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("sessie_id", name=op.f("pk_verwachting_instelling")),
    )

    op.create_table(
        "verwachting_ambitie",
        sa.Column("verwachting_id", sa.Integer(), nullable=False),
        sa.Column("uitkomst", sa.String(length=20), nullable=False),
        sa.Column("nieuwe_formulering", sa.String(length=300), nullable=True),
        sa.Column("toelichting", sa.Text(), nullable=True),
        sa.Column("vastgelegd_door_id", sa.Integer(), nullable=True),
        sa.Column("vastgelegd_op", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "uitkomst IN ('behouden', 'bijgesteld', 'losgelaten')", name=op.f("ck_verwachting_ambitie_uitkomst")
        ),
        sa.ForeignKeyConstraint(
            ["vastgelegd_door_id"],
            ["gebruiker.id"],
            name=op.f("fk_verwachting_ambitie_vastgelegd_door_id_gebruiker"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["verwachting_id"],
            ["verwachting.id"],
            name=op.f("fk_verwachting_ambitie_verwachting_id_verwachting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("verwachting_id", name=op.f("pk_verwachting_ambitie")),
    )


def downgrade():
    op.drop_table("verwachting_ambitie")
    op.drop_table("verwachting_instelling")
    op.drop_table("verwachting_ronde")
    with op.batch_alter_table("verwachting_beoordeling", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verwachting_beoordeling_verwachting_id"))
        batch_op.drop_index(batch_op.f("ix_verwachting_beoordeling_deelnemer_id"))
    op.drop_table("verwachting_beoordeling")
    with op.batch_alter_table("verwachting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verwachting_sessie_id"))
        batch_op.drop_index(batch_op.f("ix_verwachting_knelpunt_id"))
        batch_op.drop_index(batch_op.f("ix_verwachting_gemeente_id"))
    op.drop_table("verwachting")
