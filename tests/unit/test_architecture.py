"""The layout's rules (docs/architecture.md), checked on the source itself.

* Imports between top-level packages go one way: assets → pipelines → expectations, warehouse.
* No package folder holds more than 12 modules.
* No module assigns into sys.modules (stand-in modules were a hack around GX's import time).
"""

import ast

from conftest import REPO

PACKAGES = ("assets", "pipelines", "expectations", "warehouse")
# What each top-level package may import of the others (and of dagster).
MAY_IMPORT = {
    "assets": {"pipelines", "expectations", "warehouse", "dagster"},
    "pipelines": {"expectations", "warehouse"},
    "expectations": set(),
    "warehouse": set(),
}


def _modules(package: str):
    for path in sorted((REPO / package).rglob("*.py")):
        if "migrations" in path.parts and "versions" in path.parts:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imported_tops(tree: ast.AST) -> set[str]:
    tops = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            tops |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            tops.add(node.module.partition(".")[0])
    return tops


def test_imports_between_top_level_packages_go_one_way():
    wrong = []
    for package in PACKAGES:
        forbidden = (set(PACKAGES) | {"dagster"}) - MAY_IMPORT[package] - {package}
        for path, tree in _modules(package):
            for top in sorted(_imported_tops(tree) & forbidden):
                wrong.append(f"{path.relative_to(REPO)} imports {top}")
    assert wrong == []


def test_no_package_folder_holds_more_than_twelve_modules():
    crowded = {}
    for package in PACKAGES:
        for folder in [REPO / package, *(p for p in (REPO / package).rglob("*") if p.is_dir())]:
            modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
            if len(modules) > 12 and "versions" not in folder.parts:
                crowded[str(folder.relative_to(REPO))] = len(modules)
    assert crowded == {}


def test_no_module_assigns_into_sys_modules():
    found = []
    for package in PACKAGES:
        for path, tree in _modules(package):
            for node in ast.walk(tree):
                targets = node.targets if isinstance(node, ast.Assign) else []
                for target in targets:
                    if (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Attribute)
                            and target.value.attr == "modules"):
                        found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert found == []


def test_the_test_tree_mirrors_the_stages():
    stages = {p.name for p in (REPO / "pipelines").iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert stages == {"acquire", "extract", "normalise", "validate", "load", "review_page"}
    assert {p.name for p in (REPO / "tests" / "unit").iterdir() if p.is_dir()} >= stages - {"load"}


def test_the_readme_names_every_canonical_table_code():
    # The README's table of codes is what BI users read; the catalog is where codes are defined.
    from pipelines.catalog import TableCode

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert [code.value for code in TableCode if f"`{code.value}`" not in readme] == []


def test_camelot_internals_are_touched_in_one_module_only():
    # Hacks around a library live in one small module with a test pinned to its version.
    touching = [str(path.relative_to(REPO)) for path, _ in _modules("pipelines")
                if "camelot import" in path.read_text(encoding="utf-8") and path.name != "camelot_compat.py"]
    assert touching == []
