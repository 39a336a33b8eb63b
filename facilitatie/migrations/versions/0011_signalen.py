"""signalen: knelpunt.bron, meldlinks, "is het opgelost?" questions, and a sessie without begeleider

- knelpunt.bron: where a knelpunt came in (sessie, signaal, meldlink, api, heropend); existing
  rows are 'sessie'.
- sessie.begeleider_id becomes nullable: a gemeente's signalenbak (status 'signalen') is a
  sessie nobody leads. On SQLite the NOT NULL is dropped the way SQLite documents for removing a
  NOT NULL constraint (edit the stored CREATE TABLE, bump schema_version): a table rebuild would
  drop the dashboard triggers on sessie and, with foreign keys on, cascade-delete its children.
- meldlink, opgelost_vraag: new tables.

Downgrade deletes the signalenbakken (and so their signalen) before restoring NOT NULL.

Revision ID: 0011
Revises: 0010
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _sqlite_begeleider(nullable: bool) -> None:
    """Rewrite sessie's stored definition of begeleider_id (no data changes on disk)."""
    bind = op.get_bind()
    sql = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'sessie'").scalar_one()
    if nullable:
        nieuw, aantal = re.subn(r"(begeleider_id\s+INTEGER)\s+NOT NULL", r"\1", sql, count=1, flags=re.I)
    else:
        nieuw, aantal = re.subn(r"(begeleider_id\s+INTEGER)(?!\s+NOT NULL)", r"\1 NOT NULL", sql, count=1, flags=re.I)
    if not aantal:
        return
    versie = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'sessie'", (nieuw,))
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(versie) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild): knelpunt and sessie carry the dashboard triggers.
    op.add_column("knelpunt", sa.Column("bron", sa.String(length=20), server_default="sessie", nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("sessie", "begeleider_id", existing_type=sa.Integer(), nullable=True)
    else:
        _sqlite_begeleider(nullable=True)
    op.create_table(
        "meldlink",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(), nullable=False),
        sa.Column("ingetrokken_op", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_meldlink_team_id_team"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meldlink")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_meldlink_token_hash")),
    )
    op.create_index(op.f("ix_meldlink_team_id"), "meldlink", ["team_id"], unique=False)
    op.create_table(
        "opgelost_vraag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("knelpunt_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("aanleiding", sa.String(length=20), nullable=False),
        sa.Column("gevraagd_op", sa.DateTime(), nullable=False),
        sa.Column("antwoord", sa.String(length=10), nullable=True),
        sa.Column("toelichting", sa.Text(), nullable=True),
        sa.Column("beantwoord_op", sa.DateTime(), nullable=True),
        sa.Column("heropend_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["knelpunt_id"], ["knelpunt.id"], name=op.f("fk_opgelost_vraag_knelpunt_id_knelpunt"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["heropend_id"], ["knelpunt.id"], name=op.f("fk_opgelost_vraag_heropend_id_knelpunt"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_opgelost_vraag_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opgelost_vraag")),
    )
    op.create_index(op.f("ix_opgelost_vraag_knelpunt_id"), "opgelost_vraag", ["knelpunt_id"], unique=False)
    op.create_index(op.f("ix_opgelost_vraag_team_id"), "opgelost_vraag", ["team_id"], unique=False)
    op.create_index(op.f("ix_opgelost_vraag_heropend_id"), "opgelost_vraag", ["heropend_id"], unique=False)


def downgrade() -> None:
    op.drop_table("opgelost_vraag")
    op.drop_table("meldlink")
    op.execute("DELETE FROM sessie WHERE status = 'signalen'")
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("sessie", "begeleider_id", existing_type=sa.Integer(), nullable=False)
    else:
        _sqlite_begeleider(nullable=False)
    op.drop_column("knelpunt", "bron")  # SQLite 3.35+: no rebuild, the triggers stay
