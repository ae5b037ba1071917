"""budgetdw domain code: acquire, extract, normalise, validate, load. Runs without Dagster."""

# Bumped whenever extraction or normalisation changes what a document yields, so that
# documents loaded by an older parser are re-processed instead of skipped.
PARSER_VERSION = "0.3.0"

DEFAULT_WAREHOUSE = "duckdb:///budgetdw.duckdb"
