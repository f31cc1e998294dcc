#!/usr/bin/env python3
"""check-labels.py CTEST BUILD_DIR: every ctest test has exactly one tier
label (the tiers are in TIERS, the one table of them) and no label outside
TIERS and EXTRA, and a name of the one scheme NAME_SCHEME (module.case,
the module being the folder under tests/ that adds it: routine.load,
output.jack_paced, system.lobby_by_name). Reads
`ctest --show-only=json-v1`; names the file and line of each offending
add_test(). Exit 0 when all are labelled and named, 1 otherwise."""
import json
import re
import subprocess
import sys

# The test tiers (tests/README.md): run-all and CI select by these.
TIERS = ("unit", "render", "system", "hw", "package", "cross", "fuzz", "chroot", "image")
# Labels a test may carry besides its tier.
EXTRA = ("valgrind",)
# module.case: the folder under tests/ that adds the test, a dot, the
# case in lower case with underscores; no "test_" (every name is a test's).
NAME_SCHEME = re.compile(r"^[a-z0-9_]+\.[a-z0-9_]+$")
# tests/MODULE/CMakeLists.txt: the module part of the name is that folder.
FOLDER = re.compile(r"(?:^|/)tests/([^/]+)/CMakeLists\.txt$")
# The scheme tried on itself first, so that a scheme that lets anything
# through fails here instead of passing every build.
WELL_NAMED = ("routine.load", "output.jack_paced", "system.lobby_by_name", "hw.powercut")
MISNAMED = ("routine_load", "core.test_plan", "system.lobby_by-name", "Output.null",
            "hw.", ".load", "speech.line.store")


def misnamed(name):
    """True when name is not module.case (NAME_SCHEME, and no "test_" case)."""
    return not NAME_SCHEME.match(name) or name.partition(".")[2].startswith("test_")


def folder(test, graph):
    """The folder under tests/ whose CMakeLists.txt added the test (through
    a helper such as repcue_valgrind_test or not), or None."""
    node = test.get("backtrace")
    while node is not None:
        frame = graph["nodes"][node]
        found = FOLDER.search(graph["files"][frame["file"]])
        if found:
            return found.group(1)
        node = frame.get("parent")
    return None


def where(test, graph):
    """file:line of the add_test() that made the test, from the backtrace."""
    node = test.get("backtrace")
    if node is None:
        return "?"
    frame = graph["nodes"][node]
    return "%s:%s" % (graph["files"][frame["file"]], frame.get("line", "?"))


def main():
    ctest, build = sys.argv[1], sys.argv[2]
    wrong = [n for n in WELL_NAMED if misnamed(n)] + [n for n in MISNAMED if not misnamed(n)]
    if wrong:
        print("check-labels.py: NAME_SCHEME judges %s wrongly" % ", ".join(wrong))
        return 1
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
        if misnamed(test["name"]):
            bad += 1
            print("%s: test %s: name it module.case (%s, no \"test_\"), as routine.load" %
                  (where(test, graph), test["name"], NAME_SCHEME.pattern))
        elif test["name"].partition(".")[0] != folder(test, graph):
            bad += 1
            print("%s: test %s: the module is the folder: name it %s.CASE" %
                  (where(test, graph), test["name"], folder(test, graph)))
    print("%d tests, %d without exactly one tier label or a module.case name" %
          (len(data["tests"]), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
