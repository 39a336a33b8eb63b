"""verwachtingen across sessies: herkomst and lijn; the ambitieniveau in the draaiboek's words

- verwachting.herkomst_id: the verwachting of an earlier sessie this one was taken over from
  (to be rated again); verwachting.lijn_id: the first verwachting of that line, shared by every
  copy, so its trend across sessies is one query. Existing rows start a line of their own (NULL).
- verwachting_ambitie.uitkomst speaks the draaiboek's words: behouden -> handhaven, bijgesteld ->
  bijstellen, losgelaten -> loslaten, and "anders organiseren" is new. The old words stay
  readable in code (`models.OUDE_UITKOMSTEN`) for exports made before.

Plain ADD COLUMNs on verwachting, without foreign keys (see models.Verwachting): the table is
referenced by others, and SQLite would need a rebuild of it for a table-level foreign key.

Revision ID: 0016
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_NIEUW = {"behouden": "handhaven", "bijgesteld": "bijstellen", "losgelaten": "loslaten"}
_CHECK = "ck_verwachting_ambitie_uitkomst"


def _check(waarden: tuple[str, ...]) -> str:
    return "uitkomst IN (" + ", ".join(f"'{w}'" for w in waarden) + ")"


def _uitkomsten(van_naar: dict[str, str], waarden: tuple[str, ...]) -> None:
    with op.batch_alter_table("verwachting_ambitie") as batch_op:
        batch_op.drop_constraint(op.f(_CHECK), type_="check")
    for oud, nieuw in van_naar.items():
        op.execute(sa.text(f"UPDATE verwachting_ambitie SET uitkomst = '{nieuw}' WHERE uitkomst = '{oud}'"))
    with op.batch_alter_table("verwachting_ambitie") as batch_op:
        batch_op.create_check_constraint(op.f(_CHECK), _check(waarden))


def upgrade() -> None:
    op.add_column("verwachting", sa.Column("herkomst_id", sa.Integer(), nullable=True))
    op.add_column("verwachting", sa.Column("lijn_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_verwachting_herkomst_id"), "verwachting", ["herkomst_id"], unique=False)
    op.create_index(op.f("ix_verwachting_lijn_id"), "verwachting", ["lijn_id"], unique=False)
    _uitkomsten(_NIEUW, ("handhaven", "bijstellen", "anders_organiseren", "loslaten"))


def downgrade() -> None:
    # "anders organiseren" did not exist before: it goes back as behouden (the aim stood).
    terug = {nieuw: oud for oud, nieuw in _NIEUW.items()} | {"anders_organiseren": "behouden"}
    _uitkomsten(terug, ("behouden", "bijgesteld", "losgelaten"))
    op.drop_index(op.f("ix_verwachting_lijn_id"), table_name="verwachting")
    op.drop_index(op.f("ix_verwachting_herkomst_id"), table_name="verwachting")
    # Plain DROP COLUMNs (SQLite 3.35+): no rebuild of verwachting, which others refer to.
    op.drop_column("verwachting", "lijn_id")
    op.drop_column("verwachting", "herkomst_id")
