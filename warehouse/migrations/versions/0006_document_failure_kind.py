"""document failure kind: why a failed document failed, and so whether the next run reads it again

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 06:30:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('document', sa.Column(
        'failure_kind', sa.Text(), nullable=True,
        comment='why a failed document failed (empty, not_pdf, timeout, crashed, memory_limit, out_of_range, '
                '…); timeout, crashed, memory_limit and warehouse_error are read again by the next run '
                '/ 失败类型'))


def downgrade() -> None:
    op.drop_column('document', 'failure_kind')
