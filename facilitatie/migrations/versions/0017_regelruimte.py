"""regelruimte and gevonden ruimte; the dashboard summary counts them and the teams' werkmodel

Revision ID: 0017
Revises: 0010

Two tables: regelruimte (where a knelpunt's knel sits, who can resolve it) and gevonden_ruimte
(a besluit marked 'ruimte die er al was', published to the gemeente's teams). The dashboard
counts per knel, oplosser and werkmodel, so the triggers of 0005 (the stamp) and 0010 (the
queue) get company: a regelruimte row queues its knelpunt ('k'), a team whose werkmodel
changes queues itself ('t': the fold recomputes that team's knelpunten). The summary is
rebuilt once ('*'): what existed before has no werkmodel rows yet.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_PG_STEMPEL = "md5(random()::text || clock_timestamp()::text)"
_SQLITE_STEMPEL = "lower(hex(randomblob(16)))"

# (table, queue soort, the column that names the queued row, columns whose update matters or None)
_VUIL = [
    ("regelruimte", "k", "knelpunt_id", None),
    ("team", "t", "id", "werkmodel"),
]
# (table, gemeente of a row {r} = NEW/OLD, columns whose update matters or None for all)
_STAND = [
    (
        "regelruimte",
        "(SELECT s.gemeente_id FROM knelpunt k JOIN sessie s ON s.id = k.sessie_id WHERE k.id = {r}.knelpunt_id)",
        None,
    ),
    ("team", "{r}.gemeente_id", "werkmodel"),
]


def _pg() -> list[str]:
    sql = []
    for tabel, soort, kolom, kolommen in _VUIL:
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
    for tabel, gemeente, kolommen in _STAND:
        sql.append(
            f"""CREATE OR REPLACE FUNCTION dashboard_stand_{tabel}() RETURNS trigger AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN PERFORM dashboard_stand_raak({gemeente.format(r="OLD")}); END IF;
                IF TG_OP <> 'DELETE' THEN PERFORM dashboard_stand_raak({gemeente.format(r="NEW")}); END IF;
                RETURN NULL;
            END $$ LANGUAGE plpgsql"""
        )
        update = f"UPDATE OF {kolommen}" if kolommen else "UPDATE"
        sql.append(
            f"""CREATE CONSTRAINT TRIGGER dashboard_stand_{tabel} AFTER INSERT OR DELETE OR {update} ON {tabel}
               DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dashboard_stand_{tabel}()"""
        )
        sql.append(
            f"""CREATE TRIGGER dashboard_stand_{tabel}_leeg AFTER TRUNCATE ON {tabel}
               FOR EACH STATEMENT EXECUTE FUNCTION dashboard_stand_alles()"""
        )
    return sql


def _sqlite() -> list[str]:
    sql = []
    for tabel, soort, kolom, kolommen in _VUIL:
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
    for tabel, gemeente, kolommen in _STAND:
        for naam, wanneer, rijen in (
            ("ins", "INSERT", ["NEW"]),
            ("del", "DELETE", ["OLD"]),
            ("upd", f"UPDATE OF {kolommen}" if kolommen else "UPDATE", ["OLD", "NEW"]),
        ):
            waar = ", ".join(gemeente.format(r=r) for r in rijen)
            sql.append(
                f"""CREATE TRIGGER dashboard_stand_{tabel}_{naam} AFTER {wanneer} ON {tabel} BEGIN
                    UPDATE dashboard_stand SET stempel = {_SQLITE_STEMPEL} WHERE gemeente_id IN ({waar}); END"""
            )
    return sql


def upgrade():
    op.create_table(
        "regelruimte",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("knelpunt_id", sa.Integer(), nullable=False),
        sa.Column("knel", sa.String(length=20), nullable=False),
        sa.Column("oplosser", sa.String(length=20), nullable=False),
        sa.Column("vastgelegd_op", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["knelpunt_id"], ["knelpunt.id"], name=op.f("fk_regelruimte_knelpunt_id_knelpunt"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regelruimte")),
        sa.UniqueConstraint("knelpunt_id", name=op.f("uq_regelruimte_knelpunt_id")),
    )
    op.create_table(
        "gevonden_ruimte",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gemeente_id", sa.Integer(), nullable=False),
        sa.Column("knelpunt_id", sa.Integer(), nullable=False),
        sa.Column("omschrijving", sa.Text(), nullable=False),
        sa.Column("gepubliceerd_op", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["gemeente_id"], ["gemeente.id"], name=op.f("fk_gevonden_ruimte_gemeente_id_gemeente"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["knelpunt_id"], ["knelpunt.id"], name=op.f("fk_gevonden_ruimte_knelpunt_id_knelpunt"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gevonden_ruimte")),
        sa.UniqueConstraint("knelpunt_id", name=op.f("uq_gevonden_ruimte_knelpunt_id")),
    )
    op.create_index(op.f("ix_gevonden_ruimte_gemeente_id"), "gevonden_ruimte", ["gemeente_id"], unique=False)
    for statement in _pg() if op.get_bind().dialect.name == "postgresql" else _sqlite():
        op.execute(statement)
    op.execute("INSERT INTO dashboard_vuil (soort, ref_id) VALUES ('*', 0)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for tabel, _soort, _kolom, _kolommen in _VUIL:
            op.execute(f"DROP TRIGGER IF EXISTS dashboard_vuil_{tabel} ON {tabel}")
            op.execute(f"DROP TRIGGER IF EXISTS dashboard_vuil_{tabel}_leeg ON {tabel}")
            op.execute(f"DROP FUNCTION IF EXISTS dashboard_vuil_{tabel}()")
        for tabel, _gemeente, _kolommen in _STAND:
            op.execute(f"DROP TRIGGER IF EXISTS dashboard_stand_{tabel} ON {tabel}")
            op.execute(f"DROP TRIGGER IF EXISTS dashboard_stand_{tabel}_leeg ON {tabel}")
            op.execute(f"DROP FUNCTION IF EXISTS dashboard_stand_{tabel}()")
    else:
        for tabel in ("regelruimte", "team"):
            for soort in ("vuil", "stand"):
                for naam in ("ins", "del", "upd"):
                    op.execute(f"DROP TRIGGER IF EXISTS dashboard_{soort}_{tabel}_{naam}")
    op.drop_index(op.f("ix_gevonden_ruimte_gemeente_id"), table_name="gevonden_ruimte")
    op.drop_table("gevonden_ruimte")
    op.drop_table("regelruimte")
    op.execute("INSERT INTO dashboard_vuil (soort, ref_id) VALUES ('*', 0)")
