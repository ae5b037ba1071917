"""document identity evidence: unit_scope, identity_confidence, identity_evidence

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 06:40:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('document', sa.Column(
        'unit_scope', sa.Text(), nullable=True,
        comment='scope printed after the unit name (本级, 汇总, 本部); unit_name is the name alone / 单位范围'))
    op.add_column('document', sa.Column(
        'identity_confidence', sa.Numeric(precision=3, scale=2), nullable=True,
        comment='how surely unit, year and kind were read from the document (0..1; below 0.5 quarantined) '
                '/ 识别置信度'))
    op.add_column('document', sa.Column(
        'identity_evidence', sa.Text(), nullable=True,
        comment='JSON list of what decided unit, year and kind: field, value, source, page, text, weight '
                '/ 识别依据'))


def downgrade() -> None:
    op.drop_column('document', 'identity_evidence')
    op.drop_column('document', 'identity_confidence')
    op.drop_column('document', 'unit_scope')
