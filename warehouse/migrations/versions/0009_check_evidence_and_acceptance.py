"""check evidence and per-check acceptance

check_result gains a stable key per check, observed/expected as numbers in yuan beside the readable
text, and the evidence of a failed check (JSON: each operand's page, table, row, column, value as
printed and, for a table cell, its box on the page in PDF points). check_acceptance records a failed
check of one document accepted deliberately (budgetdw accept DOCUMENT --check), kept across reloads.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 11:05:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('check_result', sa.Column(
        'check_key', sa.Text(), nullable=True,
        comment="the check's stable key within its document: rule id, table, page and what is compared (hashed); "
                "the same check has the same key when the document is read again / 校验标识"))
    op.add_column('check_result', sa.Column(
        'observed_yuan', sa.Numeric(precision=20, scale=2), nullable=True,
        comment='observed as an amount in yuan, where it is one / 观测值（元）'))
    op.add_column('check_result', sa.Column(
        'expected_yuan', sa.Numeric(precision=20, scale=2), nullable=True,
        comment='expected as an amount in yuan, where it is one / 期望值（元）'))
    op.add_column('check_result', sa.Column(
        'evidence', sa.Text(), nullable=True,
        comment="JSON list of the check's operands: page, table, row, column, value as printed and, for a table "
                "cell, bbox [x0, y0, x1, y1] in PDF points (origin bottom-left of the unrotated page); a prose "
                "operand carries its sentence and page / 证据"))
    op.create_table(
        'check_acceptance',
        sa.Column('document_id', sa.Text(), nullable=False, comment='the document / 文档标识'),
        sa.Column('check_key', sa.Text(), nullable=False,
                  comment='the failed check accepted (check_result.check_key) / 校验标识'),
        sa.Column('check_id', sa.Text(), nullable=False, comment='its rule id / 规则'),
        sa.Column('accepted_by', sa.Text(), nullable=False, comment='who accepted it / 接受人'),
        sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=False, comment='when (UTC) / 接受时间'),
        sa.Column('reason', sa.Text(), nullable=False, comment='why the failure is accepted / 理由'),
        sa.PrimaryKeyConstraint('document_id', 'check_key'),
        comment='Failed checks of one document accepted deliberately (budgetdw accept --check); kept across '
                'reloads / 单项校验放行')


def downgrade() -> None:
    op.drop_table('check_acceptance')
    for name in ('evidence', 'expected_yuan', 'observed_yuan', 'check_key'):
        op.drop_column('check_result', name)
