"""Reaching people: SMS opt-in per unit, outbox, single-use SMS codes, ask memory, counts,
sealed e-mail recipients of pulse rounds.

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('org_unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sms', sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table('reach_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('recipient', sa.String(length=32), nullable=True),
    sa.Column('sealed', sa.Text(), nullable=True),
    sa.Column('survey_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=60), nullable=True),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_reach_outbox_survey_id_survey')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_reach_outbox_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reach_outbox'))
    )
    with op.batch_alter_table('reach_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_reach_outbox_state_due', ['state', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reach_outbox_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reach_outbox_survey_id'), ['survey_id'], unique=False)

    op.create_table('reach_code',
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('spent', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_reach_code_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('code_hash', name=op.f('pk_reach_code'))
    )
    with op.batch_alter_table('reach_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reach_code_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reach_code_expires_at'), ['expires_at'], unique=False)

    op.create_table('reach_asked',
    sa.Column('number_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('number_hash', name=op.f('pk_reach_asked'))
    )
    with op.batch_alter_table('reach_asked', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reach_asked_expires_at'), ['expires_at'], unique=False)

    op.create_table('reach_count',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('event', sa.String(length=16), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_reach_count_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('unit_id', 'day', 'kind', 'event', name=op.f('pk_reach_count'))
    )

    op.create_table('reach_mail_recipient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('sealed', sa.Text(), nullable=False),
    sa.Column('address_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_reach_mail_recipient_survey_id_survey')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_reach_mail_recipient_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reach_mail_recipient'))
    )
    with op.batch_alter_table('reach_mail_recipient', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reach_mail_recipient_survey_id'), ['survey_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reach_mail_recipient_unit_id'), ['unit_id'], unique=False)


def downgrade() -> None:
    op.drop_table('reach_mail_recipient')
    op.drop_table('reach_count')
    op.drop_table('reach_asked')
    op.drop_table('reach_code')
    op.drop_table('reach_outbox')
    with op.batch_alter_table('org_unit', schema=None) as batch_op:
        batch_op.drop_column('sms')
