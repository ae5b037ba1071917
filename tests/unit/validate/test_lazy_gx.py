"""expectations/lazy_gx.py: GX imported with the libraries it needs only for unused features left
unexecuted, pinned to the GX release it was measured on. Each check runs in a fresh interpreter,
since this test process may have imported GX already."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata

from conftest import REPO

from expectations.lazy_gx import DEFERRED, GX_VERSION

PROBE = """
import json, sys, tempfile
from pathlib import Path
import pipelines.process, expectations.lazy_gx
from pipelines.process import process_document
from pipelines.store import store_raw

def executed(name):
    module = sys.modules.get(name)
    return None if module is None else type(module).__name__ != "_LazyModule"

after_import = {n: executed(n) for n in expectations.lazy_gx.DEFERRED}
doc = process_document(store_raw(Path(sys.argv[1]), Path(tempfile.mkdtemp())))
after_document = {n: executed(n) for n in expectations.lazy_gx.DEFERRED}
from scipy import stats
entropy = float(stats.entropy([0.5, 0.5], base=2))
print(json.dumps({"after_import": after_import, "after_document": after_document,
                  "status": str(doc.status), "checks": len(doc.checks),
                  "failed": sorted(c.check_id for c in doc.checks if not c.passed),
                  "entropy": entropy, "stats_executed": executed("scipy.stats"),
                  "finder_left": [type(f).__name__ for f in sys.meta_path if type(f).__name__ == "_LazyFinder"]}))
"""


def test_pinned_to_the_gx_release_it_was_measured_on():
    # A GX upgrade must re-measure the import (bench/benchmark.py, worker start-up) and move the pin.
    assert metadata.version("great_expectations") == GX_VERSION


def test_a_document_is_validated_without_executing_the_deferred_libraries():
    sample = next((REPO / "samples").glob("*.pdf"))
    out = subprocess.run([sys.executable, "-c", PROBE, str(sample)], cwd=REPO, capture_output=True, text=True,
                         timeout=300, check=True)
    probe = json.loads(out.stdout.strip().splitlines()[-1])
    # GX imported them (as lazy modules) but never used them, neither on import nor in validation.
    assert probe["after_import"] == {name: False for name in DEFERRED}
    assert probe["after_document"] == {name: False for name in DEFERRED}
    # The reference document validates as it does everywhere else: published, nothing failed.
    assert probe["status"] == "published" and probe["failed"] == [] and probe["checks"] > 200
    # A deferred library still works when used, and is then executed for real.
    assert probe["entropy"] == 1.0 and probe["stats_executed"] is True
    assert probe["finder_left"] == []
