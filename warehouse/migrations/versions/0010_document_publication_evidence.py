"""document publication evidence: which version of a budget is current is decided by the files themselves

printed_date: the publication date the cover prints; file_date: when the producer last wrote the file (PDF
ModDate, else CreationDate). v_document.is_current and v_published_document rank versions by them, then by
document_id, no longer by first_seen_at (when budgetdw happened to load a file).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 11:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

PRINTED = ("publication date printed alone on a line of the cover or title page (a month alone: its first day); "
           "the newest is the current version / 印发日期")
FILE = ("when the producer last wrote the PDF (its ModDate, else CreationDate; time zone ignored); decides "
        "between versions printing the same date or none / 文件修改时间")
FIRST_SEEN_OLD = "first load of this content (UTC); the newest per unit/year/kind is current / 首次入库"
FIRST_SEEN = "first load of this content (UTC); history only: it decides no current version / 首次入库"


def upgrade() -> None:
    op.add_column('document', sa.Column('printed_date', sa.Date(), nullable=True, comment=PRINTED))
    op.add_column('document', sa.Column('file_date', sa.DateTime(), nullable=True, comment=FILE))
    _comment('first_seen_at', FIRST_SEEN)


def downgrade() -> None:
    op.drop_column('document', 'file_date')
    op.drop_column('document', 'printed_date')
    _comment('first_seen_at', FIRST_SEEN_OLD)


def _comment(column: str, comment: str) -> None:
    # COMMENT ON as SQL: alembic's alter_column(comment=) has no DuckDB rendering; both engines take this.
    op.execute(f"COMMENT ON COLUMN document.{column} IS '" + comment.replace("'", "''") + "'")
