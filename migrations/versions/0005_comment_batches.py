"""Comment batches: released comments in frozen, non-overlapping batches per unit.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 05:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('comment_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('first_month', sa.Date(), nullable=False),
    sa.Column('last_month', sa.Date(), nullable=False),
    sa.Column('released_on', sa.Date(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_comment_batch_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_batch'))
    )
    with op.batch_alter_table('comment_batch', schema=None) as batch_op:
        batch_op.create_index('ix_comment_batch_unit_kind_month', ['unit_id', 'kind', 'last_month'], unique=False)

    op.create_table('released_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=True),
    sa.Column('score_group', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['comment_batch.id'], name=op.f('fk_released_comment_batch_id_comment_batch'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_released_comment'))
    )
    with op.batch_alter_table('released_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_released_comment_batch_id'), ['batch_id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        # The comment workbench's Finnish full-text search (the same expression it queries).
        op.execute("CREATE INDEX ix_released_comment_text_fts ON released_comment "
                   "USING gin (to_tsvector('finnish'::regconfig, text))")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX ix_released_comment_text_fts")
    with op.batch_alter_table('released_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_released_comment_batch_id'))
    op.drop_table('released_comment')
    with op.batch_alter_table('comment_batch', schema=None) as batch_op:
        batch_op.drop_index('ix_comment_batch_unit_kind_month')
    op.drop_table('comment_batch')
