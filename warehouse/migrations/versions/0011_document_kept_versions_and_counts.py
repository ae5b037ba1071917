"""document: current and published versions, table and check counts, amount and subject sums, kept at load

The BI views worked these out over every document at every query: the current version of each group by a
window over all documents, the published set by four subqueries per document, v_document_overview's counts
from 6 M check rows, v_expenditure_by_subject by joining 1.8 M subject rows with 8 M amounts, sums of
v_amount from 8 M amounts, v_basic_expenditure_by_econ by a join of 1.3 M rows with 300,000 tables for a
table code, v_check_result's failed checks by scanning 6 M (issue 26.7: 6–12 s on PostgreSQL at 30,000
documents). The loader and `budgetdw accept` now keep them (warehouse/derived.py), in the transaction that
changes them; this migration computes them for the documents already loaded.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 17:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

from warehouse import derived

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

COLUMNS = (
    ('is_current', sa.Boolean(),
     'the newest version of its unit, scope, year, kind and part by publication evidence (printed_date, file_date, '
     'document_id); kept by the loader / 当前版本'),
    ('is_published', sa.Boolean(),
     'the version the published views show: the newest of its unit, scope, year, kind and part that passed every '
     'error check or was accepted; kept by the loader and budgetdw accept / 发布版本'),
    ('tables_found', sa.BigInteger(), 'its doc_table rows, counted at load / 找到的表数'),
    ('checks_run', sa.BigInteger(), 'its check_result rows, counted at load / 校验数'),
    ('checks_failed', sa.BigInteger(), 'its failed checks, counted at load / 未通过校验数'),
    ('check_errors', sa.BigInteger(), 'its failed checks of error severity, counted at load / 未通过的错误级校验数'),
)


def upgrade() -> None:
    for name, kind, comment in COLUMNS:
        op.add_column('document', sa.Column(name, kind, nullable=True, comment=comment))
    op.create_index('ix_document_unit_key', 'document', ['unit_key'])
    op.create_table(
        'document_amount_sum',
        sa.Column('document_id', sa.Text(), nullable=False),
        sa.Column('table_seq', sa.Integer(), nullable=False, comment='order in the document / 表序'),
        sa.Column('table_code', sa.Text(), nullable=False, comment='canonical table code / 标准表代码'),
        sa.Column('measure', sa.Text(), nullable=True,
                  comment='measure key (total, basic, project, …; null: none) / 度量'),
        sa.Column('amount_yuan', sa.Numeric(precision=20, scale=2), nullable=False,
                  comment='the sum of its fact_amount rows (元) / 金额合计(元)'),
        sa.Column('amounts', sa.BigInteger(), nullable=False, comment='how many fact_amount rows it sums / 金额个数'),
        comment="Each document's amounts summed by table and measure, kept by the loader (warehouse/derived.py): "
                "what v_amount_sum reads / 金额按表与度量汇总")
    op.create_index('ix_document_amount_sum_document', 'document_amount_sum', ['document_id'])
    op.create_table(
        'document_subject_sum',
        sa.Column('document_id', sa.Text(), nullable=False),
        sa.Column('table_seq', sa.Integer(), nullable=False, comment='the table the subjects are read from / 表序'),
        sa.Column('table_code', sa.Text(), nullable=False, comment='its canonical code / 标准表代码'),
        sa.Column('subject_code', sa.Text(), nullable=False, comment='function subject code / 科目编码'),
        sa.Column('subject_name', sa.Text(), nullable=False, comment='as printed / 科目名称'),
        sa.Column('subject_level', sa.Text(), nullable=False, comment='类 / 款 / 项'),
        sa.Column('parent_code', sa.Text(), nullable=True, comment='上级科目编码'),
        sa.Column('page', sa.Integer(), nullable=False, comment='source page / 页码'),
        sa.Column('total_yuan', sa.Numeric(precision=20, scale=2), nullable=True, comment='合计 (元)'),
        sa.Column('basic_yuan', sa.Numeric(precision=20, scale=2), nullable=True, comment='基本支出 (元)'),
        sa.Column('project_yuan', sa.Numeric(precision=20, scale=2), nullable=True, comment='项目支出 (元)'),
        comment="Each document's expenditure by function subject (its 支出总表, else 一般公共预算支出表, else "
                "财政拨款支出表), kept by the loader (warehouse/derived.py): what v_expenditure_by_subject reads "
                "/ 分科目支出")
    op.create_index('ix_document_subject_sum_document', 'document_subject_sum', ['document_id'])
    op.add_column('fact_basic_econ', sa.Column(
        'table_code', sa.Text(), nullable=True,
        comment='canonical code of its table (doc_table.table_code), kept at load / 标准表代码'))
    op.execute("UPDATE fact_basic_econ SET table_code = k.table_code FROM doc_table k "
               "WHERE k.document_id = fact_basic_econ.document_id AND k.table_seq = fact_basic_econ.table_seq")
    if op.get_bind().dialect.name == 'postgresql':
        # The few failed checks among millions (v_check_result WHERE NOT passed): DuckDB has no partial index,
        # and scans its check_result fast enough.
        op.create_index('ix_check_result_failed', 'check_result', ['document_id'],
                        postgresql_where=sa.text('NOT passed'))
    # The views are dropped and recreated after every migration (warehouse/migrate.py): none reads these yet.
    # derived.refresh is today's code, not a copy frozen with this migration: a later migration that changes
    # a column it reads must first give this one a copy of the SQL as it stands here.
    derived.refresh(op.get_bind(), everything=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_check_result_failed', table_name='check_result')
    op.drop_column('fact_basic_econ', 'table_code')
    op.drop_index('ix_document_subject_sum_document', table_name='document_subject_sum')
    op.drop_table('document_subject_sum')
    op.drop_index('ix_document_amount_sum_document', table_name='document_amount_sum')
    op.drop_table('document_amount_sum')
    op.drop_index('ix_document_unit_key', table_name='document')
    for name, _, _ in reversed(COLUMNS):
        op.drop_column('document', name)
