#!/usr/bin/env python3
"""Sums the <Counters> of VSTest .trx files into one plain line, and lists skipped and failed tests.

  trx-summary.py RESULTS_DIR [EXPECTED_TRX_COUNT]

Prints `tests: N passed, N failed, N skipped` alone on a line (CI reads that line), then the
skipped tests with their reasons and the failed tests' names. Exit 0 when nothing failed and
every expected trx file was found, else 1. A test project that crashed before writing its trx is
a failure: missing files are counted and reported, never silently ignored.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"

results_dir = sys.argv[1]
expected = int(sys.argv[2]) if len(sys.argv) > 2 else None
files = sorted(glob.glob(os.path.join(results_dir, "**", "*.trx"), recursive=True))

passed = failed = skipped = 0
skipped_tests, failed_tests, broken = [], [], []
for path in files:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        broken.append(f"{path}: {e}")
        continue
    counters = root.find(f"{NS}ResultSummary/{NS}Counters")
    if counters is None:
        broken.append(f"{path}: no <Counters>")
        continue
    c = {k: int(v) for k, v in counters.attrib.items() if v.isdigit()}
    p = c.get("passed", 0)
    # error/timeout/aborted are failures too: a test that never reported a pass is not a pass.
    f = sum(c.get(k, 0) for k in ("failed", "error", "timeout", "aborted"))
    passed += p
    failed += f
    # VSTest leaves xunit skips out of every counter (notExecuted stays 0; they only lower
    # "executed"), so skipped is whatever of the total neither passed nor failed.
    skipped += max(0, c.get("total", 0) - p - f)
    project = os.path.splitext(os.path.basename(path))[0]
    for r in root.iter(f"{NS}UnitTestResult"):
        outcome = r.get("outcome", "")
        name = r.get("testName", "?")
        if outcome in ("NotExecuted", "Inconclusive", "NotRunnable"):
            msg = r.find(f"{NS}Output/{NS}ErrorInfo/{NS}Message")
            out = r.find(f"{NS}Output/{NS}StdOut")
            reason = (msg.text if msg is not None and msg.text else
                      out.text if out is not None and out.text else "(no reason given)")
            skipped_tests.append(f"  [{project}] {name}: {reason.strip()}")
        elif outcome in ("Failed", "Error", "Timeout", "Aborted"):
            msg = r.find(f"{NS}Output/{NS}ErrorInfo/{NS}Message")
            first = (msg.text or "").strip().splitlines()[0] if msg is not None and msg.text else ""
            failed_tests.append(f"  [{project}] {name}: {first[:300]}")

missing = 0 if expected is None else max(0, expected - len(files) + len(broken))
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
if skipped_tests:
    print(f"skipped tests ({len(skipped_tests)}):")
    print("\n".join(skipped_tests))
if failed_tests:
    print(f"failed tests ({len(failed_tests)}):")
    print("\n".join(failed_tests))
for b in broken:
    print(f"unreadable test results: {b}")
if missing:
    print(f"missing test results: {missing} test project(s) wrote no .trx (crashed or did not run)")
sys.exit(1 if failed or missing or broken else 0)
