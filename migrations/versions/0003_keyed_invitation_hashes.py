"""Keyed invitation hashes, pending used marks (UNLOGGED on PostgreSQL), finalised rounds.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 05:40:00

Existing invitations keep working: revision 0002 stored SHA-256(token), and the new lookup
value is HMAC(token key, SHA-256(token)), so every stored hash is re-keyed here without
knowing a token. That needs the token key, which lives in the application's configuration:
run this through ``survey-app db upgrade`` (or with the production ``SURVEY_*`` environment
set). With no invitation rows no key is needed. All invitation rows are re-keyed in one
transaction, in random order, so they all get one transaction id; answers stored before this revision
are re-stored in random order when their round is finalised (``survey-app rounds
finalize``, run by ``rounds close`` and the nightly job), which also covers rounds that
closed before the upgrade.

Downgrading keeps the keyed hashes (they cannot be un-keyed): after a downgrade, links of
open rounds stop working.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('invitation_pending',
    sa.Column('guard', sa.String(length=64), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_invitation_pending_survey_id_survey')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_invitation_pending_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('guard', name=op.f('pk_invitation_pending'))
    )
    with op.batch_alter_table('invitation_pending', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_pending_survey_id'), ['survey_id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        # Never in the WAL, archives, replicas or base backups; emptied by a server crash.
        op.execute('ALTER TABLE invitation_pending SET UNLOGGED')
    op.create_table('round_finalized',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_round_finalized_survey_id_survey')),
    sa.PrimaryKeyConstraint('survey_id', name=op.f('pk_round_finalized'))
    )
    _rekey_invitations()


def _rekey_invitations() -> None:
    """token_hash := HMAC(key, token_hash) for every stored invitation, in random order."""
    bind = op.get_bind()
    rows = bind.execute(sa.text('SELECT id, token_hash FROM invitation')).all()
    if not rows:
        return
    import secrets

    secrets.SystemRandom().shuffle(rows)
    from survey_app.services.pulse.tokens import rekey

    key = _token_key()
    bind.execute(sa.text('UPDATE invitation SET token_hash = :new WHERE id = :id'),
                 [{'id': row.id, 'new': rekey(row.token_hash, key)} for row in rows])


def _token_key() -> bytes:
    """The application's token key: the current app's, else the app the environment builds."""
    from flask import current_app, has_app_context

    from survey_app.services.pulse.tokens import token_key

    if has_app_context():
        return token_key(current_app.config)
    from survey_app.app import create_app

    return token_key(create_app().config)


def downgrade() -> None:
    op.drop_table('round_finalized')
    with op.batch_alter_table('invitation_pending', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_pending_survey_id'))
    op.drop_table('invitation_pending')
