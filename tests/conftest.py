import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

# The CLI runs through Dagster when DAGSTER_HOME is set; tests choose that path explicitly.
os.environ.pop("DAGSTER_HOME", None)

REPO = Path(__file__).resolve().parent.parent
REAL_CORPUS = REPO.parent / "shared" / "corpus" / "real"
REFERENCE_PDF = REPO / "samples" / "yangquan-chengqu-police_2025_unit-budget.pdf"
GROUND_TRUTH = REPO / "tests" / "fixtures" / "reference" / "ground_truth.json"
POSTGRES_ENV = "BUDGETDW_TEST_POSTGRES_URL"


def query_rows(url: str, sql: str, **binds) -> list[tuple]:
    """The rows of one query on the warehouse at `url`, as tuples (its engine opened and disposed)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        out = [tuple(r) for r in conn.execute(text(sql), binds)]
    engine.dispose()
    return out


def real_pdf(name: str) -> Path:
    path = REAL_CORPUS / name
    if not path.exists():
        pytest.skip(f"real corpus not found at {REAL_CORPUS} (it sits beside the repo as ../shared)")
    return path


# The PostgreSQL twin of an end-to-end test whose DuckDB variant runs by default: the engines' parity is
# pinned by fast tests (test_warehouse, test_bi_layer's schema tests); these whole-run twins run with the
# slow suite (CI runs both), so that the default suite stays under ten minutes.
POSTGRES_TWIN = pytest.param("postgres_url", marks=[pytest.mark.postgres, pytest.mark.slow])


@pytest.fixture
def duckdb_url(tmp_path) -> str:
    return f"duckdb:///{tmp_path / 'warehouse.duckdb'}"


@pytest.fixture
def postgres_url():
    """A fresh schema on the PostgreSQL server named by BUDGETDW_TEST_POSTGRES_URL, dropped afterwards."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set (.ci/run sets it to the local PostgreSQL server)")
    schema = f"budgetdw_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema}_bi CASCADE"))  # its BI views (warehouse/migrate.py)
    admin.dispose()
