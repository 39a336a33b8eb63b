"""dashboard_stand: a stamp per gemeente, moved by triggers on every write the dashboard counts

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# (table, gemeente of a row {r} = NEW/OLD, columns whose update matters or None for all)
_BRONNEN = [
    (
        "knelpunt",
        "(SELECT gemeente_id FROM sessie WHERE id = {r}.sessie_id)",
        "sessie_id, domein, team_id, verborgen, aangemaakt_op",
    ),
    (
        "besluit",
        "(SELECT s.gemeente_id FROM knelpunt k JOIN sessie s ON s.id = k.sessie_id WHERE k.id = {r}.knelpunt_id)",
        None,
    ),
    ("actie", "{r}.gemeente_id", None),
    ("actie_knelpunt", "(SELECT gemeente_id FROM actie WHERE id = {r}.actie_id)", None),
    ("sessie", "{r}.gemeente_id", "status, gemeente_id"),
]
_PG_STEMPEL = "md5(random()::text || clock_timestamp()::text)"
_SQLITE_STEMPEL = "lower(hex(randomblob(16)))"


def _pg() -> list[str]:
    sql = [
        # Once per transaction and gemeente: updating one row again and again in a transaction
        # leaves a version per update that every next update walks (quadratic for bulk writes).
        f"""CREATE OR REPLACE FUNCTION dashboard_stand_raak(gid integer) RETURNS void AS $$
            UPDATE dashboard_stand SET stempel = {_PG_STEMPEL}, transactie = txid_current()
            WHERE gemeente_id = gid AND transactie IS DISTINCT FROM txid_current();
        $$ LANGUAGE sql""",
        f"""CREATE OR REPLACE FUNCTION dashboard_stand_nieuw() RETURNS trigger AS $$
        BEGIN
            INSERT INTO dashboard_stand (gemeente_id, stempel) VALUES (NEW.id, {_PG_STEMPEL});
            RETURN NULL;
        END $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER dashboard_stand_gemeente AFTER INSERT ON gemeente
           FOR EACH ROW EXECUTE FUNCTION dashboard_stand_nieuw()""",
        f"""CREATE OR REPLACE FUNCTION dashboard_stand_alles() RETURNS trigger AS $$
        BEGIN
            UPDATE dashboard_stand SET stempel = {_PG_STEMPEL}, transactie = txid_current();
            RETURN NULL;
        END $$ LANGUAGE plpgsql""",
    ]
    for tabel, gemeente, kolommen in _BRONNEN:
        sql.append(
            f"""CREATE OR REPLACE FUNCTION dashboard_stand_{tabel}() RETURNS trigger AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN PERFORM dashboard_stand_raak({gemeente.format(r="OLD")}); END IF;
                IF TG_OP <> 'DELETE' THEN PERFORM dashboard_stand_raak({gemeente.format(r="NEW")}); END IF;
                RETURN NULL;
            END $$ LANGUAGE plpgsql"""
        )
        update = f"UPDATE OF {kolommen}" if kolommen else "UPDATE"
        # Deferred to the commit: the stamp's row lock is then always the last one a transaction
        # takes, after its sessie rows, so two writers can never wait for each other in a cycle.
        sql.append(
            f"""CREATE CONSTRAINT TRIGGER dashboard_stand_{tabel} AFTER INSERT OR DELETE OR {update} ON {tabel}
               DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dashboard_stand_{tabel}()"""
        )
        # TRUNCATE fires no row triggers: move every stamp.
        sql.append(
            f"""CREATE TRIGGER dashboard_stand_{tabel}_leeg AFTER TRUNCATE ON {tabel}
               FOR EACH STATEMENT EXECUTE FUNCTION dashboard_stand_alles()"""
        )
    return sql


def _sqlite() -> list[str]:
    sql = [
        f"""CREATE TRIGGER dashboard_stand_gemeente AFTER INSERT ON gemeente BEGIN
            INSERT INTO dashboard_stand (gemeente_id, stempel) VALUES (NEW.id, {_SQLITE_STEMPEL}); END"""
    ]
    for tabel, gemeente, kolommen in _BRONNEN:
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
        "dashboard_stand",
        sa.Column("gemeente_id", sa.Integer(), nullable=False),
        sa.Column("stempel", sa.String(length=32), nullable=False),
        sa.Column("transactie", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["gemeente_id"], ["gemeente.id"], name=op.f("fk_dashboard_stand_gemeente_id_gemeente"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("gemeente_id", name=op.f("pk_dashboard_stand")),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    stempel = _PG_STEMPEL if postgres else _SQLITE_STEMPEL
    op.execute(f"INSERT INTO dashboard_stand (gemeente_id, stempel) SELECT id, {stempel} FROM gemeente")
    for statement in _pg() if postgres else _sqlite():
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS dashboard_stand_gemeente ON gemeente")
        op.execute("DROP FUNCTION IF EXISTS dashboard_stand_nieuw()")
        for tabel, _gemeente, _kolommen in _BRONNEN:
            op.execute(f"DROP TRIGGER IF EXISTS dashboard_stand_{tabel} ON {tabel}")
            op.execute(f"DROP TRIGGER IF EXISTS dashboard_stand_{tabel}_leeg ON {tabel}")
            op.execute(f"DROP FUNCTION IF EXISTS dashboard_stand_{tabel}()")
        op.execute("DROP FUNCTION IF EXISTS dashboard_stand_alles()")
        op.execute("DROP FUNCTION IF EXISTS dashboard_stand_raak(integer)")
    else:
        op.execute("DROP TRIGGER IF EXISTS dashboard_stand_gemeente")
        for tabel, _gemeente, _kolommen in _BRONNEN:
            for naam in ("ins", "del", "upd"):
                op.execute(f"DROP TRIGGER IF EXISTS dashboard_stand_{tabel}_{naam}")
    op.drop_table("dashboard_stand")
