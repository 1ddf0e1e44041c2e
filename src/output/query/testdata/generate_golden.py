"""Regenerate golden.json: Python jmespath (as az runs it) evaluated on extra cases.

Run with the az interpreter, from anywhere:
    /work/tools/az-venv/bin/python src/query/testdata/generate_golden.py

Each output case holds the expression, the input, and either
  * "result" (key order as Python produced it) and "multiselect_rows" (which output rows are
    OrderedDicts, i.e. built by a multiselect hash), or
  * "error": {"phase": "compile" | "search", "exception": class name, "message": str(ex)}.
Results must be plain JSON (no NaN/Infinity, no expression references) so that Rust can
compare them exactly; the script refuses cases that violate this.
"""
import collections
import json
import os
import sys
import warnings

sys.dont_write_bytecode = True  # keep testdata/ free of __pycache__

import jmespath  # noqa: E402

from golden_cases import CASES  # noqa: E402
from golden_inputs import DOCS  # noqa: E402

warnings.simplefilter("ignore")  # deprecated backtick string literals are exercised on purpose


def main():
    options = jmespath.Options(dict_cls=collections.OrderedDict)
    golden = []
    for doc, expression in CASES:
        data = DOCS[doc]
        case = collections.OrderedDict([("expression", expression), ("input", data)])
        try:
            compiled = jmespath.compile(expression)
        except Exception as ex:  # noqa: BLE001 - every compile failure is recorded
            case["error"] = {"phase": "compile", "exception": type(ex).__name__,
                             "message": str(ex)}
            golden.append(case)
            continue
        try:
            result = compiled.search(data, options=options)
        except Exception as ex:  # noqa: BLE001 - every evaluation failure is recorded
            case["error"] = {"phase": "search", "exception": type(ex).__name__,
                             "message": str(ex)}
            golden.append(case)
            continue
        json.dumps(result, allow_nan=False)  # refuses NaN/Infinity and non-JSON objects
        rows = result if isinstance(result, list) else [result]
        case["result"] = result
        case["multiselect_rows"] = [isinstance(row, collections.OrderedDict) for row in rows]
        golden.append(case)
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden.json")
    with open(target, "w", encoding="utf-8") as f:
        # One case per line: reviewable diffs without a huge file.
        f.write("[\n" + ",\n".join(json.dumps(case, ensure_ascii=False) for case in golden))
        f.write("\n]\n")
    print("wrote %d cases to %s" % (len(golden), target))


if __name__ == "__main__":
    main()
