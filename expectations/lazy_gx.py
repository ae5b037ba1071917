"""Import Great Expectations with the libraries it imports only for features budgetdw never uses
loaded lazily, and register budgetdw's custom expectation.

GX imports scipy.stats and altair at module level for its distribution expectations (KL divergence,
KS tests) and their charts, jsonschema for its JSON-schema expectation and mistune for Markdown in
Data Docs. budgetdw's suites use none of them, yet every run pays for importing them before its first
document (the workers' fork server preloads GX: pipelines/workers.py). Measured in bench/results.md:
about a third of GX's import time, ≈10% of a run over the real corpus.

The standard library's mechanism does it: while GX is imported, a finder on sys.meta_path gives these
modules importlib.util.LazyLoader, so each is created empty and executed the first time one of its
attributes is used (building Data Docs does: it renders every expectation type). The finder is removed
once GX is imported. tests/unit/validate/test_lazy_gx.py pins the GX release this was measured on.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib.machinery import ModuleSpec
from types import ModuleType

GX_VERSION = "1.24.1"
DEFERRED = ("scipy.stats", "altair", "jsonschema", "mistune")


class _LazyFinder(importlib.abc.MetaPathFinder):
    """Finds the deferred modules as the other finders would, with their loaders made lazy."""

    def find_spec(self, name: str, path: Sequence[str] | None, target: ModuleType | None = None) -> ModuleSpec | None:
        if name not in DEFERRED:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = importlib.util.LazyLoader(spec.loader)
                return spec
        return None


@contextmanager
def deferring_unused_libraries() -> Iterator[None]:
    finder = _LazyFinder()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


with deferring_unused_libraries():
    import great_expectations as gx  # noqa: F401  (the point of this module)

from expectations import custom  # noqa: E402,F401  (registers the custom expectation)
