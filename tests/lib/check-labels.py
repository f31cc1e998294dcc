#!/usr/bin/env python3
"""check-labels.py CTEST BUILD_DIR: every ctest test has exactly one tier
label (the tiers are in TIERS, the one table of them) and no label outside
TIERS and EXTRA. Reads `ctest --show-only=json-v1`; names the file and line
of each offending add_test(). Exit 0 when all are labelled, 1 otherwise."""
import json
import subprocess
import sys

# The test tiers (tests/README.md): run-all and CI select by these.
TIERS = ("unit", "render", "system", "hw", "package", "cross", "fuzz", "chroot", "image")
# Labels a test may carry besides its tier.
EXTRA = ("valgrind",)


def where(test, graph):
    """file:line of the add_test() that made the test, from the backtrace."""
    node = test.get("backtrace")
    if node is None:
        return "?"
    frame = graph["nodes"][node]
    return "%s:%s" % (graph["files"][frame["file"]], frame.get("line", "?"))


def main():
    ctest, build = sys.argv[1], sys.argv[2]
    out = subprocess.run([ctest, "--show-only=json-v1"], cwd=build, check=True,
                         capture_output=True, text=True).stdout
    data = json.loads(out)
    graph = data["backtraceGraph"]
    bad = 0
    for test in data["tests"]:
        labels = []
        for prop in test.get("properties", []):
            if prop["name"] == "LABELS":
                labels = prop["value"]
        tiers = [label for label in labels if label in TIERS]
        unknown = [label for label in labels if label not in TIERS + EXTRA]
        if len(tiers) != 1 or unknown:
            bad += 1
            why = "no tier label" if not tiers else (
                "tiers %s: one only" % ",".join(tiers) if len(tiers) > 1 else
                "labels %s are neither tiers nor %s" % (",".join(unknown), ",".join(EXTRA)))
            print("%s: test %s: %s; give it one of LABELS %s" %
                  (where(test, graph), test["name"], why, " ".join(TIERS)))
    print("%d tests, %d without exactly one tier label" % (len(data["tests"]), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
