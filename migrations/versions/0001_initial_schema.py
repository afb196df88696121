"""Initial schema: units, surveys, responses, aggregates, invitations, users, tokens, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-28 22:59:27.692360
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('role', sa.Enum('admin', 'hr', 'manager', name='role', native_enum=False, length=10), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.Column('last_used_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('admin', 'hr', 'manager', name='role', native_enum=False, length=10), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('username', name=op.f('uq_app_user_username'))
    )
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)

    op.create_table('org_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('path', sa.String(length=400), nullable=False),
    sa.Column('name_fi', sa.String(length=200), nullable=False),
    sa.Column('name_sv', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('resident', 'staff', 'both', name='unitkind', native_enum=False, length=10), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['org_unit.id'], name=op.f('fk_org_unit_parent_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_unit')),
    sa.UniqueConstraint('code', name=op.f('uq_org_unit_code'))
    )
    with op.batch_alter_table('org_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_unit_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_org_unit_path'), ['path'], unique=False)

    op.create_table('api_token_scope',
    sa.Column('token_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['token_id'], ['api_token.id'], name=op.f('fk_api_token_scope_token_id_api_token')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_api_token_scope_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('token_id', 'unit_id', name=op.f('pk_api_token_scope'))
    )
    op.create_table('survey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.Enum('resident', 'pulse', name='surveykind', native_enum=False, length=10), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('instrument_key', sa.String(length=60), nullable=False),
    sa.Column('instrument_version', sa.Integer(), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_survey_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey')),
    sa.UniqueConstraint('code', name=op.f('uq_survey_code'))
    )
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_unit_id'), ['unit_id'], unique=False)

    op.create_table('user_scope',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_user_scope_unit_id_org_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_user_scope_user_id_app_user')),
    sa.PrimaryKeyConstraint('user_id', 'unit_id', name=op.f('pk_user_scope'))
    )
    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('used', sa.Boolean(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_invitation_survey_id_survey')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_invitation_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitation_token_hash'))
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_survey_id'), ['survey_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitation_unit_id'), ['unit_id'], unique=False)

    op.create_table('resident_daily',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
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
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_resident_daily_survey_id_survey')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_resident_daily_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('survey_id', 'unit_id', 'day', 'channel', name=op.f('pk_resident_daily'))
    )
    with op.batch_alter_table('resident_daily', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resident_daily_day'), ['day'], unique=False)

    op.create_table('resident_item_daily',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('item', sa.String(length=40), nullable=False),
    sa.Column('value', sa.SmallInteger(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_resident_item_daily_survey_id_survey')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_resident_item_daily_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('survey_id', 'unit_id', 'day', 'item', 'value', name=op.f('pk_resident_item_daily'))
    )
    with op.batch_alter_table('resident_item_daily', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resident_item_daily_day'), ['day'], unique=False)

    op.create_table('response',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=True),
    sa.Column('language', sa.String(length=12), nullable=True),
    sa.Column('channel', sa.String(length=8), nullable=True),
    sa.Column('score', sa.SmallInteger(), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('qwl_index', sa.Float(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_response_survey_id_survey')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_response_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response'))
    )
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.create_index('ix_response_survey_unit_day', ['survey_id', 'unit_id', 'day'], unique=False)
        batch_op.create_index(batch_op.f('ix_response_unit_id'), ['unit_id'], unique=False)

    op.create_table('staff_item_count',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=40), nullable=False),
    sa.Column('value', sa.SmallInteger(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_staff_item_count_survey_id_survey')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_staff_item_count_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('survey_id', 'unit_id', 'item', 'value', name=op.f('pk_staff_item_count'))
    )
    op.create_table('staff_measure',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('measure', sa.String(length=20), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('total', sa.Float(), nullable=False),
    sa.Column('total_sq', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_staff_measure_survey_id_survey')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_staff_measure_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('survey_id', 'unit_id', 'measure', name=op.f('pk_staff_measure'))
    )
    op.create_table('staff_round',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
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
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_staff_round_survey_id_survey')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_staff_round_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('survey_id', 'unit_id', name=op.f('pk_staff_round'))
    )


def downgrade() -> None:
    op.drop_table('staff_round')
    op.drop_table('staff_measure')
    op.drop_table('staff_item_count')
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_unit_id'))
        batch_op.drop_index('ix_response_survey_unit_day')

    op.drop_table('response')
    with op.batch_alter_table('resident_item_daily', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resident_item_daily_day'))

    op.drop_table('resident_item_daily')
    with op.batch_alter_table('resident_daily', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resident_daily_day'))

    op.drop_table('resident_daily')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_unit_id'))
        batch_op.drop_index(batch_op.f('ix_invitation_survey_id'))

    op.drop_table('invitation')
    op.drop_table('user_scope')
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_unit_id'))
        batch_op.drop_index(batch_op.f('ix_survey_kind'))

    op.drop_table('survey')
    op.drop_table('api_token_scope')
    with op.batch_alter_table('org_unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_unit_path'))
        batch_op.drop_index(batch_op.f('ix_org_unit_parent_id'))

    op.drop_table('org_unit')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))

    op.drop_table('audit_event')
    op.drop_table('app_user')
    op.drop_table('api_token')
