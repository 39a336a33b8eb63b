"""knelpunten, thema's, stemmen, reacties, moderatie, aanwezigheid en instellingen

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 11:06:23.672834

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('thema',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sessie_id', sa.Integer(), nullable=False),
    sa.Column('naam', sa.String(length=120), nullable=False),
    sa.Column('aangemaakt_op', sa.DateTime(), nullable=False),
    sa.Column('besproken_op', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['sessie_id'], ['sessie.id'], name=op.f('fk_thema_sessie_id_sessie'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_thema'))
    )
    with op.batch_alter_table('thema', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_thema_sessie_id'), ['sessie_id'], unique=False)

    op.create_table('knelpunt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sessie_id', sa.Integer(), nullable=False),
    sa.Column('deelnemer_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('thema_id', sa.Integer(), nullable=True),
    sa.Column('domein', sa.String(length=40), nullable=False),
    sa.Column('tekst', sa.Text(), nullable=False),
    sa.Column('anoniem', sa.Boolean(), nullable=False),
    sa.Column('aangemaakt_op', sa.DateTime(), nullable=False),
    sa.Column('client_request_id', sa.String(length=64), nullable=True),
    sa.Column('sleutel_hash', sa.String(length=64), nullable=True),
    sa.Column('onthuld', sa.Boolean(), nullable=False),
    sa.Column('verborgen', sa.Boolean(), nullable=False),
    sa.Column('besproken_op', sa.DateTime(), nullable=True),
    sa.Column('bewerkt_op', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['deelnemer_id'], ['deelnemer.id'], name=op.f('fk_knelpunt_deelnemer_id_deelnemer'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sessie_id'], ['sessie.id'], name=op.f('fk_knelpunt_sessie_id_sessie'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_knelpunt_team_id_team')),
    sa.ForeignKeyConstraint(['thema_id'], ['thema.id'], name=op.f('fk_knelpunt_thema_id_thema'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knelpunt')),
    sa.UniqueConstraint('sessie_id', 'client_request_id', name='uq_knelpunt_sessie_request')
    )
    with op.batch_alter_table('knelpunt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_knelpunt_aangemaakt_op'), ['aangemaakt_op'], unique=False)
        batch_op.create_index(batch_op.f('ix_knelpunt_deelnemer_id'), ['deelnemer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_knelpunt_sessie_id'), ['sessie_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_knelpunt_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_knelpunt_thema_id'), ['thema_id'], unique=False)

    op.create_table('knelpunt_instellingen',
    sa.Column('sessie_id', sa.Integer(), nullable=False),
    sa.Column('verborgen_tot_onthulling', sa.Boolean(), nullable=False),
    sa.Column('stemmen_per_deelnemer', sa.Integer(), nullable=False),
    sa.Column('max_per_item', sa.Integer(), nullable=False),
    sa.Column('deelnemers_bundelen', sa.Boolean(), nullable=False),
    sa.Column('stemmen_op', sa.String(length=20), nullable=False),
    sa.Column('inbreng_open', sa.Boolean(), nullable=False),
    sa.Column('stemmen_gesloten', sa.Boolean(), nullable=False),
    sa.Column('scherm_soort', sa.String(length=20), nullable=True),
    sa.Column('scherm_id', sa.Integer(), nullable=True),
    sa.Column('timer_eind', sa.DateTime(), nullable=True),
    sa.Column('timer_rest', sa.Integer(), nullable=True),
    sa.Column('timer_label', sa.String(length=200), nullable=True),
    sa.Column('timer_fase', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['sessie_id'], ['sessie.id'], name=op.f('fk_knelpunt_instellingen_sessie_id_sessie'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sessie_id', name=op.f('pk_knelpunt_instellingen'))
    )

    op.create_table('stem',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sessie_id', sa.Integer(), nullable=False),
    sa.Column('deelnemer_id', sa.Integer(), nullable=False),
    sa.Column('thema_id', sa.Integer(), nullable=True),
    sa.Column('knelpunt_id', sa.Integer(), nullable=True),
    sa.Column('plek', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('aangemaakt_op', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(thema_id IS NULL) != (knelpunt_id IS NULL)', name=op.f('ck_stem_een_item')),
    sa.CheckConstraint('plek >= 1 AND n >= 1', name=op.f('ck_stem_positief')),
    sa.ForeignKeyConstraint(['deelnemer_id'], ['deelnemer.id'], name=op.f('fk_stem_deelnemer_id_deelnemer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['knelpunt_id'], ['knelpunt.id'], name=op.f('fk_stem_knelpunt_id_knelpunt'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sessie_id'], ['sessie.id'], name=op.f('fk_stem_sessie_id_sessie'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thema_id'], ['thema.id'], name=op.f('fk_stem_thema_id_thema'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stem')),
    sa.UniqueConstraint('deelnemer_id', 'knelpunt_id', 'n', name='uq_stem_deelnemer_knelpunt_n'),
    sa.UniqueConstraint('deelnemer_id', 'plek', name='uq_stem_deelnemer_plek'),
    sa.UniqueConstraint('deelnemer_id', 'thema_id', 'n', name='uq_stem_deelnemer_thema_n')
    )
    with op.batch_alter_table('stem', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stem_knelpunt_id'), ['knelpunt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stem_sessie_id'), ['sessie_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stem_thema_id'), ['thema_id'], unique=False)

    op.create_table('reactie',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sessie_id', sa.Integer(), nullable=False),
    sa.Column('knelpunt_id', sa.Integer(), nullable=True),
    sa.Column('thema_id', sa.Integer(), nullable=True),
    sa.Column('deelnemer_id', sa.Integer(), nullable=True),
    sa.Column('perspectief', sa.String(length=20), nullable=False),
    sa.Column('naam', sa.String(length=120), nullable=True),
    sa.Column('tekst', sa.Text(), nullable=False),
    sa.Column('vooraf', sa.Boolean(), nullable=False),
    sa.Column('verborgen', sa.Boolean(), nullable=False),
    sa.Column('client_request_id', sa.String(length=64), nullable=True),
    sa.Column('aangemaakt_op', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(thema_id IS NULL) != (knelpunt_id IS NULL)', name=op.f('ck_reactie_een_item')),
    sa.ForeignKeyConstraint(['deelnemer_id'], ['deelnemer.id'], name=op.f('fk_reactie_deelnemer_id_deelnemer'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['knelpunt_id'], ['knelpunt.id'], name=op.f('fk_reactie_knelpunt_id_knelpunt'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sessie_id'], ['sessie.id'], name=op.f('fk_reactie_sessie_id_sessie'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thema_id'], ['thema.id'], name=op.f('fk_reactie_thema_id_thema'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reactie')),
    sa.UniqueConstraint('sessie_id', 'client_request_id', name='uq_reactie_sessie_request')
    )
    with op.batch_alter_table('reactie', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reactie_deelnemer_id'), ['deelnemer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reactie_knelpunt_id'), ['knelpunt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reactie_sessie_id'), ['sessie_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reactie_thema_id'), ['thema_id'], unique=False)

    op.create_table('moderatie',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sessie_id', sa.Integer(), nullable=False),
    sa.Column('knelpunt_id', sa.Integer(), nullable=True),
    sa.Column('reactie_id', sa.Integer(), nullable=True),
    sa.Column('door_id', sa.Integer(), nullable=False),
    sa.Column('reden', sa.Text(), nullable=False),
    sa.Column('op', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['door_id'], ['gebruiker.id'], name=op.f('fk_moderatie_door_id_gebruiker')),
    sa.ForeignKeyConstraint(['knelpunt_id'], ['knelpunt.id'], name=op.f('fk_moderatie_knelpunt_id_knelpunt'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reactie_id'], ['reactie.id'], name=op.f('fk_moderatie_reactie_id_reactie'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sessie_id'], ['sessie.id'], name=op.f('fk_moderatie_sessie_id_sessie'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderatie'))
    )
    with op.batch_alter_table('moderatie', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderatie_knelpunt_id'), ['knelpunt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderatie_reactie_id'), ['reactie_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderatie_sessie_id'), ['sessie_id'], unique=False)

    op.create_table('aanwezigheid',
    sa.Column('sid', sa.String(length=64), nullable=False),
    sa.Column('sessie_id', sa.Integer(), nullable=False),
    sa.Column('deelnemer_id', sa.Integer(), nullable=True),
    sa.Column('perspectief', sa.String(length=20), nullable=True),
    sa.Column('verbonden_op', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['deelnemer_id'], ['deelnemer.id'], name=op.f('fk_aanwezigheid_deelnemer_id_deelnemer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sessie_id'], ['sessie.id'], name=op.f('fk_aanwezigheid_sessie_id_sessie'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sid', name=op.f('pk_aanwezigheid'))
    )
    with op.batch_alter_table('aanwezigheid', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aanwezigheid_sessie_id'), ['sessie_id'], unique=False)


def downgrade():
    with op.batch_alter_table('aanwezigheid', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aanwezigheid_sessie_id'))
    op.drop_table('aanwezigheid')
    with op.batch_alter_table('moderatie', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moderatie_sessie_id'))
        batch_op.drop_index(batch_op.f('ix_moderatie_reactie_id'))
        batch_op.drop_index(batch_op.f('ix_moderatie_knelpunt_id'))
    op.drop_table('moderatie')
    with op.batch_alter_table('reactie', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reactie_thema_id'))
        batch_op.drop_index(batch_op.f('ix_reactie_sessie_id'))
        batch_op.drop_index(batch_op.f('ix_reactie_knelpunt_id'))
        batch_op.drop_index(batch_op.f('ix_reactie_deelnemer_id'))
    op.drop_table('reactie')
    with op.batch_alter_table('stem', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stem_thema_id'))
        batch_op.drop_index(batch_op.f('ix_stem_sessie_id'))
        batch_op.drop_index(batch_op.f('ix_stem_knelpunt_id'))
    op.drop_table('stem')
    op.drop_table('knelpunt_instellingen')
    with op.batch_alter_table('knelpunt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_knelpunt_thema_id'))
        batch_op.drop_index(batch_op.f('ix_knelpunt_team_id'))
        batch_op.drop_index(batch_op.f('ix_knelpunt_sessie_id'))
        batch_op.drop_index(batch_op.f('ix_knelpunt_deelnemer_id'))
        batch_op.drop_index(batch_op.f('ix_knelpunt_aangemaakt_op'))
    op.drop_table('knelpunt')
    with op.batch_alter_table('thema', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_thema_sessie_id'))
    op.drop_table('thema')
