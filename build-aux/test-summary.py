#!/usr/bin/env python3
"""Counts individual test cases in meson testlog.json files and prints the closing line.

GLib tests run with --tap, so each executable's stdout holds one "ok"/"not ok" line per
test path; those are counted. An executable that failed without reporting a failing case
(a crash, a timeout, a sanitizer or valgrind report after its cases) counts one more
failure, and one that printed no TAP at all counts as a single case by its result.

Each file is one run (build-aux/test: the main run, the sanitizer and memcheck passes, the
fuzz step). A line per run comes first; the closing line adds them all up, so a case run
in several passes counts once per pass. A file that is missing counts as one failure: that
run did not start.
"""
import json
import re
import sys

TAP_LINE = re.compile(r"^(not ok|ok)\b(.*)$")


def count_entry(entry):
    passed = failed = skipped = 0
    for line in (entry.get("stdout") or "").splitlines():
        match = TAP_LINE.match(line)
        if not match:
            continue
        ok = match.group(1) == "ok"
        directive = match.group(2).upper()
        if "# SKIP" in directive:
            skipped += 1
        elif ok or "# TODO" in directive:
            passed += 1
        else:
            failed += 1

    result = entry.get("result", "ERROR")
    if passed + failed + skipped == 0:
        if result == "OK":
            passed = 1
        elif result == "SKIP":
            skipped = 1
        else:
            failed = 1
    elif result not in ("OK", "SKIP", "EXPECTEDFAIL") and failed == 0:
        failed = 1
    return passed, failed, skipped


def main(paths):
    totals = [0, 0, 0]
    for path in paths:
        counts = [0, 0, 0]
        try:
            with open(path, encoding="utf-8") as log:
                for line in log:
                    if line.strip():
                        for i, n in enumerate(count_entry(json.loads(line))):
                            counts[i] += n
        except FileNotFoundError:
            print(f"test-summary: {path} not found: that test run did not start",
                  file=sys.stderr)
            counts[1] += 1
        print(f"test-summary: {path}: {counts[0]} cases passed, {counts[1]} failed, "
              f"{counts[2]} skipped")
        for i, n in enumerate(counts):
            totals[i] += n

    passed, failed, skipped = totals
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
