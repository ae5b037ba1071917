"""Acquire: local folders and web listing pages into the raw store (pipelines/store.py)."""
