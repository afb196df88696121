"""Resident aggregates per calendar month, backfilled from the daily ones.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 00:09:42.727981
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('resident_monthly',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('comments', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('c0', sa.Integer(), nullable=False),
    sa.Column('c1', sa.Integer(), nullable=False),
    sa.Column('c2', sa.Integer(), nullable=False),
    sa.Column('c3', sa.Integer(), nullable=False),
    sa.Column('c4', sa.Integer(), nullable=False),
    sa.Column('c5', sa.Integer(), nullable=False),
    sa.Column('c6', sa.Integer(), nullable=False),
    sa.Column('c7', sa.Integer(), nullable=False),
    sa.Column('c8', sa.Integer(), nullable=False),
    sa.Column('c9', sa.Integer(), nullable=False),
    sa.Column('c10', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_resident_monthly_survey_id_survey')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_resident_monthly_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('survey_id', 'unit_id', 'month', name=op.f('pk_resident_monthly'))
    )
    with op.batch_alter_table('resident_monthly', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resident_monthly_month'), ['month'], unique=False)
    _backfill()


COUNTS = ["n", "comments"] + [f"c{value}" for value in range(11)]


def _backfill() -> None:
    """Sum the existing daily rows into months (the dialects spell "first of month" apart)."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        month = "CAST(date_trunc('month', day) AS DATE)"
    else:
        month = "date(day, 'start of month')"
    columns = ", ".join(COUNTS)
    sums = ", ".join(f"SUM({column})" for column in COUNTS)
    op.execute(
        f"INSERT INTO resident_monthly (survey_id, unit_id, month, {columns}) "
        f"SELECT survey_id, unit_id, {month}, {sums} FROM resident_daily "
        f"GROUP BY survey_id, unit_id, {month}"
    )



def downgrade() -> None:
    with op.batch_alter_table('resident_monthly', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resident_monthly_month'))

    op.drop_table('resident_monthly')
