"""A partial index of the answers whose comments are not yet released, so that the nightly
publish finds them without scanning every answer (1-3 s a night at 10 M answers).

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.create_index('ix_response_pending_comment', ['survey_id'], unique=False,
                              postgresql_where=sa.text('comment IS NOT NULL'),
                              sqlite_where=sa.text('comment IS NOT NULL'))


def downgrade() -> None:
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index('ix_response_pending_comment')
