#!/usr/bin/env python3
"""Adds up what `./build.sh test` ran: cargo test's result lines (*.txt), the node test runner's TAP files
(*.tap, one per suite; the Chromium and Firefox end-to-end suites are chromium.tap and firefox.tap) and the
one-line checks (*.status) in DIR. Prints one closing line `N passed, N failed, N skipped`.

A skip is only a skip when it is a known gap: an end-to-end test skipped with the reason "known gap: ..."
whose "browser | test name" is in the known-gaps table of tests/e2e/README.md. Every other skip (a missing
browser or build, an ignored cargo test, a skip in any other suite) is counted as FAILED and named.
Exits 1 when anything failed or nothing ran."""
import glob, os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def known_gaps(readme=os.path.join(ROOT, "tests", "e2e", "README.md")):
    """The known-gaps table of tests/e2e/README.md (same parser as tests/e2e/suite.mjs)."""
    text = open(readme, encoding="utf-8").read()
    block = text.split("<!-- known-gaps:begin -->")[1].split("<!-- known-gaps:end -->")[0] if "<!-- known-gaps:begin -->" in text else ""
    gaps = set()
    for line in block.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) >= 5 and cells[1] in ("chromium", "firefox"):
            gaps.add((cells[1], cells[2]))
    return gaps


def main(log):
    gaps = known_gaps()
    passed = failed = skipped = 0
    for path in sorted(glob.glob(os.path.join(log, "*.txt"))):
        text = open(path, encoding="utf-8", errors="replace").read()
        for p, f, i in re.findall(r"test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored", text):
            passed, failed = passed + int(p), failed + int(f)
            if int(i):
                print(f"{os.path.basename(path)}: {i} ignored cargo test(s), counted as failed (an ignored test proves nothing)")
                failed += int(i)
    for path in sorted(glob.glob(os.path.join(log, "*.tap"))):
        suite = os.path.basename(path)[: -len(".tap")]
        text = open(path, encoding="utf-8", errors="replace").read()
        p = re.findall(r"^# pass (\d+)$", text, re.M)
        f = re.findall(r"^# fail (\d+)$", text, re.M)
        s = re.findall(r"^# skipped (\d+)$", text, re.M)
        if not p:
            print(f"{suite}: no summary (the suite did not finish)")
            failed += 1
        passed += sum(map(int, p))
        failed += sum(map(int, f))
        lines = re.findall(r"^\s*ok \d+ - (.*?) # SKIP ?(.*)$", text, re.M)
        if len(lines) != sum(map(int, s)):
            print(f"{suite}: {sum(map(int, s))} skipped in the summary but {len(lines)} skip lines; counting the difference as failed")
            failed += abs(sum(map(int, s)) - len(lines))
        for name, reason in lines:
            name = name.replace("\\#", "#")
            if reason.startswith("known gap") and (suite, name) in gaps:
                skipped += 1
                print(f"known gap ({suite}): {name}: {reason}")
            else:
                failed += 1
                print(f"skipped, not a known gap, counted as failed ({suite}): {name}: {reason or 'no reason'}")
    for path in sorted(glob.glob(os.path.join(log, "*.status"))):
        # One line per extra check (lint, scans): "name ok" or "name failed".
        name, status = open(path).read().split()
        passed, failed = (passed + 1, failed) if status == "ok" else (passed, failed + 1)
        if status != "ok":
            print(f"check failed: {name}")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
