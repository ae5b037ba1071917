"""Importing this module imports Great Expectations, and registers budgetdw's custom expectation,
without loading the libraries GX imports for features budgetdw never uses.

GX imports scipy.stats and altair at module level, for its distribution expectations (KL
divergence, KS tests) and their charts. They are ≈40% of its import time (2.4 s of 6 s on a slow
2-core VM), and every run pays that import before its first document (pipelines/workers.py).
jsonschema (its JSON-schema expectation) and mistune (Markdown in Data Docs) add ≈4% more.
Before GX is imported, each is entered in sys.modules as a stand-in that imports the real module
the first time one of its attributes is used, so code that does use them still works, only later
(building Data Docs does: it renders every expectation type).

GX also imports SQLAlchemy (≈0.3 s), an optional dependency of GX that only its SQL data sources
use; budgetdw's suites run on pandas frames. In a process that has not imported SQLAlchemy (the
workers, which never load), GX is imported as where SQLAlchemy is not installed, a setup GX
supports; afterwards SQLAlchemy imports as usual for any other code. A process that loads imports
SQLAlchemy first and gets GX whole.

The workers' fork server preloads this module; expectations/gx.py imports it before using GX.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from types import ModuleType

DEFERRED = ("scipy.stats", "altair", "jsonschema", "mistune")

_lock = threading.RLock()  # re-entrant: loading one deferred module may load another (altair uses jsonschema)


class _Deferred(ModuleType):
    """Stands in sys.modules for a module until one of its attributes is used."""

    def __getattr__(self, attr: str):
        return getattr(_load(self), attr)


def _load(stand_in: _Deferred) -> ModuleType:
    with _lock:
        name = stand_in.__name__
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
            try:
                importlib.import_module(name)
            except BaseException:
                sys.modules[name] = stand_in
                raise
        return sys.modules[name]


def _defer(name: str) -> None:
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None:  # not installed: GX's own import will say so if it needs it
        return
    stand_in = _Deferred(name)
    stand_in.__spec__ = spec  # the import system reads it from modules in sys.modules
    sys.modules[name] = stand_in


WITHOUT = "sqlalchemy"  # optional for GX, unused by budgetdw's pandas-only validation


def _import_gx() -> None:
    for name in DEFERRED:
        _defer(name)
    hidden = WITHOUT not in sys.modules
    if hidden:
        sys.modules[WITHOUT] = None  # `import sqlalchemy` raises ImportError: GX takes it as not installed
    try:
        import great_expectations  # noqa: F401  (the point of this module)
    finally:
        if hidden:
            del sys.modules[WITHOUT]


if "great_expectations" not in sys.modules:
    _import_gx()

from . import custom  # noqa: E402,F401  (registers the custom expectation)
