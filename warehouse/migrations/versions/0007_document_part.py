"""document part: full | narrative | tables — a disclosure published over several files

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 06:25:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('document', sa.Column(
        'part', sa.Text(), nullable=True,
        comment='full | narrative | tables: which part of its disclosure the file holds (a narrative-only file and '
                'its tables-only companion are parts of one disclosure) / 公开文件组成部分'))
    # Documents loaded before: a document whose totals came from its prose had no tables (a narrative);
    # the others are taken as whole disclosures until they are read again (the parser version changed).
    op.execute("UPDATE document SET part = CASE WHEN totals_source = 'narrative' THEN 'narrative' ELSE 'full' END "
               "WHERE status <> 'failed'")


def downgrade() -> None:
    op.drop_column('document', 'part')
