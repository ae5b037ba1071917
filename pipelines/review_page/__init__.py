"""A review page per document, readable offline: `budgetdw report`.

data.py reads the warehouse (read-only), charts.py draws the disclosures' own charts as inline SVG,
operands.py turns a failed check into the values it names as printed, pdfpage.py renders a PDF page
and boxes those values, html.py assembles the self-contained pages and report.py writes them.
"""
