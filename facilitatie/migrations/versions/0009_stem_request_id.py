"""stem.client_request_id: a retried stem (same client request id) is counted once.

A plain ADD COLUMN and a unique index (no batch rebuild of the table).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("stem", sa.Column("client_request_id", sa.String(length=64), nullable=True))
    op.create_index("uq_stem_sessie_request", "stem", ["sessie_id", "client_request_id"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_stem_sessie_request", table_name="stem")
    with op.batch_alter_table("stem") as batch_op:
        batch_op.drop_column("client_request_id")
