"""Comment batches: the languages their comments are shown with, so that the comment pages list
languages from the batches instead of reading every released comment.

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('comment_batch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('languages', sa.String(length=200), server_default='',
                                      nullable=False))
    connection = op.get_bind()
    shown: dict[int, set[str]] = {}
    for batch_id, language in connection.execute(sa.text(
            "SELECT DISTINCT batch_id, language FROM released_comment "
            "WHERE language IS NOT NULL")):
        shown.setdefault(int(batch_id), set()).add(str(language))
    for batch_id, languages in shown.items():
        connection.execute(sa.text("UPDATE comment_batch SET languages = :languages "
                                   "WHERE id = :id"),
                           {"languages": " ".join(sorted(languages)), "id": batch_id})


def downgrade() -> None:
    with op.batch_alter_table('comment_batch', schema=None) as batch_op:
        batch_op.drop_column('languages')
