"""dashboard samenvatting: summary rows per gemeente and day, month, quarter and year, and the queue that keeps them

Revision ID: 0010
Revises: 0009

Triggers only note what changed (a row in dashboard_vuil: which knelpunt, actie or sessie);
opvolging.samenvatting folds the queue into the summary before the dashboard reads it. A
TRUNCATE (no row triggers) and this migration itself queue a full rebuild ('*').
Self-contained (it came in beside 0009 and was renumbered).
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# (table, queue soort, the column that names the queued row, columns whose update matters or None)
_BRONNEN = [
    ("knelpunt", "k", "id", "sessie_id, domein, team_id, verborgen, aangemaakt_op"),
    ("besluit", "k", "knelpunt_id", None),
    ("actie", "a", "id", "gemeente_id, status, streefdatum, aangemaakt_op, afgerond_op"),
    ("actie_knelpunt", "a", "actie_id", None),
    ("sessie", "s", "id", "status, gemeente_id"),
]


def _pg() -> list[str]:
    sql = [
        """CREATE OR REPLACE FUNCTION dashboard_vuil_alles() RETURNS trigger AS $$
        BEGIN
            INSERT INTO dashboard_vuil (soort, ref_id) VALUES ('*', 0);
            RETURN NULL;
        END $$ LANGUAGE plpgsql"""
    ]
    for tabel, soort, kolom, kolommen in _BRONNEN:
        sql.append(
            f"""CREATE OR REPLACE FUNCTION dashboard_vuil_{tabel}() RETURNS trigger AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN
                    INSERT INTO dashboard_vuil (soort, ref_id) VALUES ('{soort}', OLD.{kolom});
                END IF;
                IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.{kolom} IS DISTINCT FROM OLD.{kolom}) THEN
                    INSERT INTO dashboard_vuil (soort, ref_id) VALUES ('{soort}', NEW.{kolom});
                END IF;
                RETURN NULL;
            END $$ LANGUAGE plpgsql"""
        )
        update = f"UPDATE OF {kolommen}" if kolommen else "UPDATE"
        sql.append(
            f"""CREATE TRIGGER dashboard_vuil_{tabel} AFTER INSERT OR DELETE OR {update} ON {tabel}
               FOR EACH ROW EXECUTE FUNCTION dashboard_vuil_{tabel}()"""
        )
        sql.append(
            f"""CREATE TRIGGER dashboard_vuil_{tabel}_leeg AFTER TRUNCATE ON {tabel}
               FOR EACH STATEMENT EXECUTE FUNCTION dashboard_vuil_alles()"""
        )
    return sql


def _sqlite() -> list[str]:
    sql = []
    for tabel, soort, kolom, kolommen in _BRONNEN:
        update = f"UPDATE OF {kolommen}" if kolommen else "UPDATE"
        sql += [
            f"""CREATE TRIGGER dashboard_vuil_{tabel}_ins AFTER INSERT ON {tabel} BEGIN
                INSERT INTO dashboard_vuil (soort, ref_id) VALUES ('{soort}', NEW.{kolom}); END""",
            f"""CREATE TRIGGER dashboard_vuil_{tabel}_del AFTER DELETE ON {tabel} BEGIN
                INSERT INTO dashboard_vuil (soort, ref_id) VALUES ('{soort}', OLD.{kolom}); END""",
            f"""CREATE TRIGGER dashboard_vuil_{tabel}_upd AFTER {update} ON {tabel} BEGIN
                INSERT INTO dashboard_vuil (soort, ref_id)
                SELECT '{soort}', OLD.{kolom} UNION SELECT '{soort}', NEW.{kolom}; END""",
        ]
    return sql


def upgrade():
    op.create_table(
        "dashboard_vuil",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("soort", sa.String(length=1), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_vuil")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "dashboard_bijdrage",
        sa.Column("soort", sa.String(length=1), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("gegevens", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("soort", "ref_id", name=op.f("pk_dashboard_bijdrage")),
    )
    op.create_table(
        "dashboard_cijfer",
        sa.Column("gemeente_id", sa.Integer(), nullable=False),
        sa.Column("maat", sa.String(length=3), nullable=False),
        sa.Column("niveau", sa.String(length=1), nullable=False),
        sa.Column("begin", sa.Date(), nullable=False),
        sa.Column("dim", sa.String(length=1), nullable=False),
        sa.Column("sleutel", sa.String(length=40), nullable=False),
        sa.Column("klasse", sa.Integer(), nullable=False),
        sa.Column("waarde", sa.Integer(), nullable=False),
        sa.Column("aantal", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["gemeente_id"], ["gemeente.id"], name=op.f("fk_dashboard_cijfer_gemeente_id_gemeente"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint(
            "gemeente_id",
            "maat",
            "niveau",
            "begin",
            "dim",
            "sleutel",
            "klasse",
            "waarde",
            name=op.f("pk_dashboard_cijfer"),
        ),
    )
    op.create_index(
        "ix_dashboard_cijfer_fijn",
        "dashboard_cijfer",
        ["gemeente_id", "maat", "dim", "sleutel", "klasse", "niveau", "begin"],
    )
    op.execute("INSERT INTO dashboard_vuil (soort, ref_id) VALUES ('*', 0)")
    for statement in _pg() if op.get_bind().dialect.name == "postgresql" else _sqlite():
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for tabel, _soort, _kolom, _kolommen in _BRONNEN:
            op.execute(f"DROP TRIGGER IF EXISTS dashboard_vuil_{tabel} ON {tabel}")
            op.execute(f"DROP TRIGGER IF EXISTS dashboard_vuil_{tabel}_leeg ON {tabel}")
            op.execute(f"DROP FUNCTION IF EXISTS dashboard_vuil_{tabel}()")
        op.execute("DROP FUNCTION IF EXISTS dashboard_vuil_alles()")
    else:
        for tabel, _soort, _kolom, _kolommen in _BRONNEN:
            for naam in ("ins", "del", "upd"):
                op.execute(f"DROP TRIGGER IF EXISTS dashboard_vuil_{tabel}_{naam}")
    op.drop_index("ix_dashboard_cijfer_fijn", table_name="dashboard_cijfer")
    op.drop_table("dashboard_cijfer")
    op.drop_table("dashboard_bijdrage")
    op.drop_table("dashboard_vuil")
