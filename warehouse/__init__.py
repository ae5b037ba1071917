"""Warehouse schema (SQLAlchemy Core), BI views as SQL files, and the data dictionary."""
