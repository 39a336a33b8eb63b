"""Inbreng vooraf belongs to the sessie; removed text leaves the event log.

- sessie.inbreng_open replaces knelpunt_instellingen.inbreng_open: whether a concept sessie can
  be joined early is a rule of the sessies area; it read the flag from the knelpunten area's
  settings row, which made the areas import each other.
- sessie.gewist_tot_seq: events up to this seq were wiped because text was withdrawn, hidden
  or removed (realtime.wis_tot); a client behind it reloads instead of replaying them.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no batch rebuild): the sessie table carries the dashboard triggers of 0005.
    op.add_column("sessie", sa.Column("inbreng_open", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("sessie", sa.Column("gewist_tot_seq", sa.Integer(), server_default=sa.text("0"), nullable=False))
    op.execute(
        "UPDATE sessie SET inbreng_open = TRUE WHERE id IN "
        "(SELECT sessie_id FROM knelpunt_instellingen WHERE inbreng_open = TRUE)"
    )
    with op.batch_alter_table("knelpunt_instellingen") as batch_op:
        batch_op.drop_column("inbreng_open")


def downgrade() -> None:
    with op.batch_alter_table("knelpunt_instellingen") as batch_op:
        batch_op.add_column(sa.Column("inbreng_open", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(
        "UPDATE knelpunt_instellingen SET inbreng_open = TRUE WHERE sessie_id IN "
        "(SELECT id FROM sessie WHERE inbreng_open = TRUE)"
    )
    with op.batch_alter_table("sessie") as batch_op:
        batch_op.drop_column("gewist_tot_seq")
        batch_op.drop_column("inbreng_open")
