"""Helper of the randomised differential test (differential_tests.rs).

Reads a JSON array of cases ({"name", "doc", "query", "multiselect", "transformer"}) on
stdin and writes a JSON array with, for each case, what knack/PyYAML/tabulate/azure-cli
print for it (the same `render` as the golden files). Run with the az venv's Python.
"""
import json
import sys

from generate import render


def main():
    cases = json.load(sys.stdin)
    json.dump([render(c) for c in cases], sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
