"""AVG data lifecycle: besluit historie, the beheerder's logboek, task leases, deletion marks.

- besluit_historie: every version of a besluit (append-only: UPDATE refused by a trigger;
  rows go only with their knelpunt, when a sessie is deleted). Filled with the current
  besluiten, the one version known so far.
- beheer_log: the beheerder's actions (roles, passwords, activation, deletions, exports);
  UPDATE and DELETE refused by triggers.
- taakslot: a lease per scheduled task (opschonen), so N processes run it once per day.
- sessie.opgeschoond_op: when the bewaartermijn removed the sessie's free text.
- gebruiker.verwijderd_op: when a beheerder deleted the account.

Plain create_table / add_column only: sessie carries the dashboard triggers of 0005 and
must not be rebuilt by a batch operation.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_PG = [
    """CREATE OR REPLACE FUNCTION alleen_toevoegen() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER besluit_historie_geen_wijziging BEFORE UPDATE ON besluit_historie
        FOR EACH ROW EXECUTE FUNCTION alleen_toevoegen()""",
    """CREATE TRIGGER beheer_log_geen_wijziging BEFORE UPDATE OR DELETE ON beheer_log
        FOR EACH ROW EXECUTE FUNCTION alleen_toevoegen()""",
]
_SQLITE = [
    """CREATE TRIGGER besluit_historie_geen_update BEFORE UPDATE ON besluit_historie
       BEGIN SELECT RAISE(ABORT, 'besluit_historie is append-only: UPDATE is not allowed'); END""",
    """CREATE TRIGGER beheer_log_geen_update BEFORE UPDATE ON beheer_log
       BEGIN SELECT RAISE(ABORT, 'beheer_log is append-only: UPDATE is not allowed'); END""",
    """CREATE TRIGGER beheer_log_geen_delete BEFORE DELETE ON beheer_log
       BEGIN SELECT RAISE(ABORT, 'beheer_log is append-only: DELETE is not allowed'); END""",
]


def upgrade() -> None:
    op.create_table(
        "besluit_historie",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("knelpunt_id", sa.Integer(), nullable=False),
        sa.Column("door_id", sa.Integer(), nullable=True),
        sa.Column("op", sa.DateTime(), nullable=False),
        sa.Column("soort", sa.String(length=20), nullable=False),
        sa.Column("reden", sa.Text(), nullable=True),
        sa.Column("doorverwezen_naar", sa.String(length=200), nullable=True),
        sa.Column("toelichting", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["knelpunt_id"], ["knelpunt.id"], name=op.f("fk_besluit_historie_knelpunt_id_knelpunt"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["door_id"], ["gebruiker.id"], name=op.f("fk_besluit_historie_door_id_gebruiker")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_besluit_historie")),
    )
    op.create_index(op.f("ix_besluit_historie_knelpunt_id"), "besluit_historie", ["knelpunt_id"], unique=False)
    op.execute(
        "INSERT INTO besluit_historie (knelpunt_id, door_id, op, soort, reden, doorverwezen_naar, toelichting) "
        "SELECT knelpunt_id, besloten_door_id, besloten_op, soort, reden, doorverwezen_naar, toelichting "
        "FROM besluit ORDER BY id"
    )

    op.create_table(
        "beheer_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("op", sa.DateTime(), nullable=False),
        sa.Column("door_id", sa.Integer(), nullable=True),
        sa.Column("onderwerp_id", sa.Integer(), nullable=True),
        sa.Column("gemeente_id", sa.Integer(), nullable=True),
        sa.Column("actie", sa.String(length=40), nullable=False),
        sa.Column("details", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["door_id"], ["gebruiker.id"], name=op.f("fk_beheer_log_door_id_gebruiker")),
        sa.ForeignKeyConstraint(
            ["onderwerp_id"], ["gebruiker.id"], name=op.f("fk_beheer_log_onderwerp_id_gebruiker")
        ),
        sa.ForeignKeyConstraint(["gemeente_id"], ["gemeente.id"], name=op.f("fk_beheer_log_gemeente_id_gemeente")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_beheer_log")),
    )
    op.create_index(op.f("ix_beheer_log_op"), "beheer_log", ["op"], unique=False)
    op.create_index(op.f("ix_beheer_log_onderwerp_id"), "beheer_log", ["onderwerp_id"], unique=False)
    op.create_index(op.f("ix_beheer_log_gemeente_id"), "beheer_log", ["gemeente_id"], unique=False)

    op.create_table(
        "taakslot",
        sa.Column("naam", sa.String(length=60), nullable=False),
        sa.Column("tot", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("naam", name=op.f("pk_taakslot")),
    )

    op.add_column("sessie", sa.Column("opgeschoond_op", sa.DateTime(), nullable=True))
    op.add_column("gebruiker", sa.Column("verwijderd_op", sa.DateTime(), nullable=True))

    for statement in _PG if op.get_bind().dialect.name == "postgresql" else _SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS besluit_historie_geen_wijziging ON besluit_historie")
        op.execute("DROP TRIGGER IF EXISTS beheer_log_geen_wijziging ON beheer_log")
        op.execute("DROP FUNCTION IF EXISTS alleen_toevoegen()")
    else:
        for naam in ("besluit_historie_geen_update", "beheer_log_geen_update", "beheer_log_geen_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {naam}")
    op.drop_column("gebruiker", "verwijderd_op")
    op.drop_column("sessie", "opgeschoond_op")
    op.drop_table("taakslot")
    op.drop_index(op.f("ix_beheer_log_gemeente_id"), table_name="beheer_log")
    op.drop_index(op.f("ix_beheer_log_onderwerp_id"), table_name="beheer_log")
    op.drop_index(op.f("ix_beheer_log_op"), table_name="beheer_log")
    op.drop_table("beheer_log")
    op.drop_index(op.f("ix_besluit_historie_knelpunt_id"), table_name="besluit_historie")
    op.drop_table("besluit_historie")
