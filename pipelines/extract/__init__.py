"""Extract: the PDF text layer, identity, tables (camelot), prose claims, holdings, performance forms."""
