"""Regenerate the golden files of the output formatters from the real az libraries.

Run with the az venv's Python (knack 0.14.0, PyYAML 6.0.4, tabulate 0.10.0, azure-cli 2.91.0):

    /work/tools/az-venv/bin/python src/output/testdata/generate.py

Writes, next to this script:
  cases.json   the input documents with their flags (query, multiselect, transformer)
  golden.json  per case: knack's format_json / format_yaml / format_tsv / format_table text,
               or "table_error": true where knack raises "Table output unavailable".
"""
import json
import os
from collections import OrderedDict

from knack.output import format_json, format_table, format_tsv, format_yaml
from knack.util import CLIError, CommandResultItem

from cases import CASES

HERE = os.path.dirname(os.path.abspath(__file__))


def transformer(name):
    from azure.cli.command_modules.acr import _format as f
    return {
        None: None,
        "token": f.token_output_format,
        "credential": f.token_credential_output_format,
        "scope_map": f.scope_map_output_format,
    }[name]


def ordered_rows(doc, flags):
    """Rows built by a --query multiselect hash are OrderedDicts; TSV keeps their order."""
    if isinstance(doc, list):
        return [OrderedDict(r) if i < len(flags) and flags[i] and isinstance(r, dict) else r
                for i, r in enumerate(doc)]
    if flags and flags[0] and isinstance(doc, dict):
        return OrderedDict(doc)
    return doc


def render(case):
    # A JSON round trip gives exactly what the Rust side parses (fresh objects, no aliases).
    doc = json.loads(json.dumps(case["doc"]))
    query = case.get("query", False)
    out = {
        "json": format_json(CommandResultItem(doc, is_query_active=query)),
        "yaml": format_yaml(CommandResultItem(doc, is_query_active=query)),
        "tsv": format_tsv(CommandResultItem(ordered_rows(doc, case.get("multiselect", [])),
                                            is_query_active=query)),
    }
    try:
        item = CommandResultItem(doc, table_transformer=transformer(case.get("transformer")),
                                 is_query_active=query)
        out["table"] = format_table(item)
    except CLIError:
        out["table_error"] = True
    return out


def main():
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    golden = {c["name"]: render(c) for c in CASES}
    for c in CASES:
        for fmt, text in c.get("spec", {}).items():
            assert golden[c["name"]].get(fmt) == text, f"spec example {c['name']} [{fmt}] differs from az:\n" \
                f"{golden[c['name']].get(fmt)!r}\n{text!r}"
    with open(os.path.join(HERE, "cases.json"), "w", encoding="utf-8") as f:
        json.dump(CASES, f, ensure_ascii=True, indent=1)
        f.write("\n")
    with open(os.path.join(HERE, "golden.json"), "w", encoding="utf-8") as f:
        json.dump(golden, f, ensure_ascii=True, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{len(CASES)} cases written")


if __name__ == "__main__":
    main()
