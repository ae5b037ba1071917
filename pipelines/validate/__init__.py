"""Validate: a document staged as frames, the rules (tables, prose), run as Great Expectations suites."""
