"""volglink: the private link to what became of a knelpunt; only the token's hash is stored.

A table of its own that names no one (no author, device or address): the knelpunt and the
sha256 of the token. Deleted with its knelpunt.

Revision ID: 0012
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "volglink",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("knelpunt_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["knelpunt_id"], ["knelpunt.id"], name=op.f("fk_volglink_knelpunt_id_knelpunt"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volglink")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_volglink_token_hash")),
    )
    op.create_index(op.f("ix_volglink_knelpunt_id"), "volglink", ["knelpunt_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_volglink_knelpunt_id"), table_name="volglink")
    op.drop_table("volglink")
