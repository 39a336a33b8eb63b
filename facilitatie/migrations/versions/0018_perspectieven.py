"""perspectieven: a gemeente's own perspectives beside beleid and uitvoering

Revision ID: 0018
Revises: 0010

One row per added perspective (partner, inwoner / cliëntenraad, ...). Beleid, uitvoering and
anders are built in and get no row; Deelnemer.perspectief keeps storing the key as a string.
Plain create_table: no existing table is touched.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "perspectief",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gemeente_id", sa.Integer(), nullable=False),
        sa.Column("sleutel", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("volgorde", sa.Integer(), nullable=False),
        sa.Column("actief", sa.Boolean(), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["gemeente_id"], ["gemeente.id"], name=op.f("fk_perspectief_gemeente_id_gemeente")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_perspectief")),
        sa.UniqueConstraint("sleutel", name=op.f("uq_perspectief_sleutel")),
    )
    op.create_index(op.f("ix_perspectief_gemeente_id"), "perspectief", ["gemeente_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_perspectief_gemeente_id"), table_name="perspectief")
    op.drop_table("perspectief")
