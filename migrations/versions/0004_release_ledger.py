"""The release ledger: releases and their released cells (issue 12).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 05:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('release',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('covers', sa.String(length=40), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=True),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('config', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_release_survey_id_survey')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release')),
    sa.UniqueConstraint('kind', 'covers', name='uq_release_kind_covers')
    )
    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_month'), ['month'], unique=False)
    op.create_table('released_cell',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('survey_kind', sa.String(length=10), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=8), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=10), nullable=True),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('members', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], name=op.f('fk_released_cell_release_id_release')),
    sa.ForeignKeyConstraint(['round_id'], ['survey.id'], name=op.f('fk_released_cell_round_id_survey')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_released_cell_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_released_cell')),
    sa.UniqueConstraint('release_id', 'unit_id', 'scope', 'period', name='uq_released_cell_release_id')
    )
    with op.batch_alter_table('released_cell', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_released_cell_release_id'), ['release_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_released_cell_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_released_cell_period'), ['period'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('released_cell', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_released_cell_period'))
        batch_op.drop_index(batch_op.f('ix_released_cell_unit_id'))
        batch_op.drop_index(batch_op.f('ix_released_cell_release_id'))
    op.drop_table('released_cell')
    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_month'))
    op.drop_table('release')
