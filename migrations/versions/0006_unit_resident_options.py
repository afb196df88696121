"""Units: names in more languages, an alternative recommendation wording, a kiosk language.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 05:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('org_unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('names', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('wording', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('kiosk_lang', sa.String(length=12), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('org_unit', schema=None) as batch_op:
        batch_op.drop_column('kiosk_lang')
        batch_op.drop_column('wording')
        batch_op.drop_column('names')
