"""Dagster definitions over pipelines/: one partition per document (see definitions.py)."""
