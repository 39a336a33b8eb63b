"""opvolging: besluiten, acties (append-only historie), eerder gemeld, reeksen, API tokens

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


# The actie history is append-only in the database itself, not only by convention.
# (TRUNCATE stays possible: it is how a test run or a beheerder empties a whole database.)
_PG_TRIGGER = """
CREATE OR REPLACE FUNCTION actie_historie_alleen_toevoegen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'actie_historie is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER actie_historie_geen_wijziging BEFORE UPDATE OR DELETE ON actie_historie
    FOR EACH ROW EXECUTE FUNCTION actie_historie_alleen_toevoegen();
"""

_SQLITE_TRIGGERS = [
    """CREATE TRIGGER actie_historie_geen_update BEFORE UPDATE ON actie_historie
       BEGIN SELECT RAISE(ABORT, 'actie_historie is append-only: UPDATE is not allowed'); END""",
    """CREATE TRIGGER actie_historie_geen_delete BEFORE DELETE ON actie_historie
       BEGIN SELECT RAISE(ABORT, 'actie_historie is append-only: DELETE is not allowed'); END""",
]


def upgrade():
    op.create_table(
        "besluit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("knelpunt_id", sa.Integer(), nullable=False),
        sa.Column("soort", sa.String(length=20), nullable=False),
        sa.Column("reden", sa.Text(), nullable=True),
        sa.Column("doorverwezen_naar", sa.String(length=200), nullable=True),
        sa.Column("toelichting", sa.Text(), nullable=True),
        sa.Column("thema_id", sa.Integer(), nullable=True),
        sa.Column("besloten_door_id", sa.Integer(), nullable=True),
        sa.Column("besloten_op", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["besloten_door_id"], ["gebruiker.id"], name=op.f("fk_besluit_besloten_door_id_gebruiker")
        ),
        sa.ForeignKeyConstraint(
            ["knelpunt_id"], ["knelpunt.id"], name=op.f("fk_besluit_knelpunt_id_knelpunt"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["thema_id"], ["thema.id"], name=op.f("fk_besluit_thema_id_thema"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_besluit")),
        sa.UniqueConstraint("knelpunt_id", name=op.f("uq_besluit_knelpunt_id")),
    )
    with op.batch_alter_table("besluit", schema=None) as batch_op:
        batch_op.create_index("ix_besluit_soort_besloten_op", ["soort", "besloten_op"], unique=False)

    op.create_table(
        "actie",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gemeente_id", sa.Integer(), nullable=False),
        sa.Column("sessie_id", sa.Integer(), nullable=True),
        sa.Column("verwachting_id", sa.Integer(), nullable=True),
        sa.Column("omschrijving", sa.Text(), nullable=False),
        sa.Column("eigenaar_id", sa.Integer(), nullable=True),
        sa.Column("afdeling", sa.String(length=120), nullable=True),
        sa.Column("streefdatum", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=True),
        sa.Column("aangemaakt_door_id", sa.Integer(), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(), nullable=False),
        sa.Column("afgerond_op", sa.DateTime(), nullable=True),
        sa.Column("bijgewerkt_op", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["aangemaakt_door_id"], ["gebruiker.id"], name=op.f("fk_actie_aangemaakt_door_id_gebruiker")
        ),
        sa.ForeignKeyConstraint(["eigenaar_id"], ["gebruiker.id"], name=op.f("fk_actie_eigenaar_id_gebruiker")),
        sa.ForeignKeyConstraint(["gemeente_id"], ["gemeente.id"], name=op.f("fk_actie_gemeente_id_gemeente")),
        sa.ForeignKeyConstraint(
            ["sessie_id"], ["sessie.id"], name=op.f("fk_actie_sessie_id_sessie"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["verwachting_id"],
            ["verwachting.id"],
            name=op.f("fk_actie_verwachting_id_verwachting"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actie")),
    )
    with op.batch_alter_table("actie", schema=None) as batch_op:
        batch_op.create_index(
            "ix_actie_gemeente_status_streefdatum", ["gemeente_id", "status", "streefdatum"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_actie_eigenaar_id"), ["eigenaar_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_actie_sessie_id"), ["sessie_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_actie_verwachting_id"), ["verwachting_id"], unique=False)

    op.create_table(
        "actie_knelpunt",
        sa.Column("actie_id", sa.Integer(), nullable=False),
        sa.Column("knelpunt_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actie_id"], ["actie.id"], name=op.f("fk_actie_knelpunt_actie_id_actie"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["knelpunt_id"], ["knelpunt.id"], name=op.f("fk_actie_knelpunt_knelpunt_id_knelpunt"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("actie_id", "knelpunt_id", name=op.f("pk_actie_knelpunt")),
    )
    with op.batch_alter_table("actie_knelpunt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_actie_knelpunt_knelpunt_id"), ["knelpunt_id"], unique=False)

    op.create_table(
        "actie_historie",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actie_id", sa.Integer(), nullable=False),
        sa.Column("door_id", sa.Integer(), nullable=True),
        sa.Column("op", sa.DateTime(), nullable=False),
        sa.Column("veld", sa.String(length=30), nullable=False),
        sa.Column("van", sa.String(length=200), nullable=True),
        sa.Column("naar", sa.String(length=200), nullable=True),
        sa.Column("reden", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["actie_id"], ["actie.id"], name=op.f("fk_actie_historie_actie_id_actie")),
        sa.ForeignKeyConstraint(["door_id"], ["gebruiker.id"], name=op.f("fk_actie_historie_door_id_gebruiker")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actie_historie")),
    )
    with op.batch_alter_table("actie_historie", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_actie_historie_actie_id"), ["actie_id"], unique=False)

    op.create_table(
        "eerder_gemeld",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("knelpunt_id", sa.Integer(), nullable=False),
        sa.Column("eerder_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("gekoppeld_door_id", sa.Integer(), nullable=True),
        sa.Column("gekoppeld_op", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["eerder_id"], ["knelpunt.id"], name=op.f("fk_eerder_gemeld_eerder_id_knelpunt"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["gekoppeld_door_id"], ["gebruiker.id"], name=op.f("fk_eerder_gemeld_gekoppeld_door_id_gebruiker")
        ),
        sa.ForeignKeyConstraint(
            ["knelpunt_id"], ["knelpunt.id"], name=op.f("fk_eerder_gemeld_knelpunt_id_knelpunt"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eerder_gemeld")),
        sa.UniqueConstraint("knelpunt_id", "eerder_id", name="uq_eerder_gemeld_knelpunt_eerder"),
    )
    with op.batch_alter_table("eerder_gemeld", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_eerder_gemeld_eerder_id"), ["eerder_id"], unique=False)

    op.create_table(
        "reeks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gemeente_id", sa.Integer(), nullable=False),
        sa.Column("naam", sa.String(length=120), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["gemeente_id"], ["gemeente.id"], name=op.f("fk_reeks_gemeente_id_gemeente")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reeks")),
    )
    with op.batch_alter_table("reeks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reeks_gemeente_id"), ["gemeente_id"], unique=False)

    op.create_table(
        "sessie_reeks",
        sa.Column("sessie_id", sa.Integer(), nullable=False),
        sa.Column("reeks_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reeks_id"], ["reeks.id"], name=op.f("fk_sessie_reeks_reeks_id_reeks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["sessie_id"], ["sessie.id"], name=op.f("fk_sessie_reeks_sessie_id_sessie"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("sessie_id", name=op.f("pk_sessie_reeks")),
    )
    with op.batch_alter_table("sessie_reeks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sessie_reeks_reeks_id"), ["reeks_id"], unique=False)

    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("naam", sa.String(length=80), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(), nullable=False),
        sa.Column("laatst_gebruikt_op", sa.DateTime(), nullable=True),
        sa.Column("ingetrokken_op", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["gebruiker.id"], name=op.f("fk_api_token_user_id_gebruiker"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_user_id"), ["user_id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_TRIGGER)
    else:
        for trigger in _SQLITE_TRIGGERS:
            op.execute(trigger)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS actie_historie_geen_wijziging ON actie_historie")
        op.execute("DROP FUNCTION IF EXISTS actie_historie_alleen_toevoegen()")
    else:
        op.execute("DROP TRIGGER IF EXISTS actie_historie_geen_update")
        op.execute("DROP TRIGGER IF EXISTS actie_historie_geen_delete")
    for table, indexes in [
        ("api_token", ["ix_api_token_user_id"]),
        ("sessie_reeks", ["ix_sessie_reeks_reeks_id"]),
        ("reeks", ["ix_reeks_gemeente_id"]),
        ("eerder_gemeld", ["ix_eerder_gemeld_eerder_id"]),
        ("actie_historie", ["ix_actie_historie_actie_id"]),
        ("actie_knelpunt", ["ix_actie_knelpunt_knelpunt_id"]),
        (
            "actie",
            [
                "ix_actie_verwachting_id",
                "ix_actie_sessie_id",
                "ix_actie_eigenaar_id",
                "ix_actie_gemeente_status_streefdatum",
            ],
        ),
        ("besluit", ["ix_besluit_soort_besloten_op"]),
    ]:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for index in indexes:
                batch_op.drop_index(index)
        op.drop_table(table)
