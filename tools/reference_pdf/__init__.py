"""Render the reference budget-disclosure PDF (and its ground truth) from a seed text layer.

    from tools.reference_pdf import build_document, render, ground_truth

    doc = build_document(seed_text)        # plain dataclasses: edit them to plant defects
    layout = render(doc, "out.pdf")         # writes the PDF, returns where everything landed
    truth = ground_truth(doc, layout)       # every table cell, form and paragraph, with pages
"""

from .render import (  # noqa: F401
    BudgetTable,
    Chart,
    Document,
    IndicatorRow,
    Layout,
    Para,
    PerformanceForm,
    build_document,
    ground_truth,
    main,
    render,
)
