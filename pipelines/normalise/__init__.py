"""Normalise: extracted tables into exact amounts by subject and measure; economic classification."""
