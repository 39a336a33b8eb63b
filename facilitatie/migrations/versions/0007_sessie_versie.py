"""gebruiker.sessie_versie: raising it ends every signed-in session of that account.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no batch rebuild of the table).
    op.add_column("gebruiker", sa.Column("sessie_versie", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("gebruiker") as batch_op:
        batch_op.drop_column("sessie_versie")
