"""`python -m expectations`: regenerate expectations/suites/*.json and docs/rules.md from the catalog."""

from expectations.catalog_doc import write_catalog
from expectations.suites import write_suites

if __name__ == "__main__":
    for path in write_suites() + [write_catalog()]:
        print(path)
