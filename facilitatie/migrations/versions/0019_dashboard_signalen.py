"""dashboard: signalen in the signalenbak are their own outcome, not "Nog in sessie"

Revision ID: 0019
Revises: 0018

A knelpunt without besluit whose sessie is the gemeente's signalenbak (status signalen) now
counts as "Binnengekomen signaal" on the dashboard. Summary rows written before counted it as
"in sessie": queue one full rebuild ('*'), as 0010 and 0017 do. No table changes.
"""

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("INSERT INTO dashboard_vuil (soort, ref_id) VALUES ('*', 0)")


def downgrade() -> None:
    op.execute("INSERT INTO dashboard_vuil (soort, ref_id) VALUES ('*', 0)")
