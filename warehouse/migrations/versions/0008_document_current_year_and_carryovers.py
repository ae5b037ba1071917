"""document: current-year income and expenditure, carry-overs in and out (收支总表 lines)

income_total_yuan and expenditure_total_yuan are the 收支总表's 总计 lines (carry-overs included) for
budgets and final accounts alike; the current-year lines and the carry-overs get columns of their own.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 10:50:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

COLUMNS = (
    ('current_year_income_yuan', '本年收入合计 (元): income of the year, carry-overs excluded'),
    ('current_year_expenditure_yuan', '本年支出合计 (元): expenditure of the year, carry-overs excluded'),
    ('carryover_in_yuan', '年初结转和结余 / 上年结转 (元): carried over from earlier years, where printed'),
    ('carryover_out_yuan', '年末结转和结余 / 结转下年 (元): carried over to later years, where printed'),
)


# What the two totals always meant, now said (the values of documents loaded before are read again when
# the parser version changes).
TOTALS = (
    ('income_total_yuan', '收入总计 (元)',
     "收入总计 (元): the 收支总表's 总计 line, carry-overs included (budgets and final accounts)"),
    ('expenditure_total_yuan', '支出总计 (元)',
     "支出总计 (元): the 收支总表's 总计 line, carry-overs included (budgets and final accounts)"),
)


def upgrade() -> None:
    for name, comment in COLUMNS:
        op.add_column('document', sa.Column(name, sa.Numeric(precision=20, scale=2), nullable=True, comment=comment))
    for name, _, new in TOTALS:
        _comment(name, new)


def downgrade() -> None:
    for name, old, _ in TOTALS:
        _comment(name, old)
    for name, _ in reversed(COLUMNS):
        op.drop_column('document', name)


def _comment(column: str, comment: str) -> None:
    # COMMENT ON as SQL: alembic's alter_column(comment=) has no DuckDB rendering; both engines take this.
    op.execute(f"COMMENT ON COLUMN document.{column} IS '" + comment.replace("'", "''") + "'")
