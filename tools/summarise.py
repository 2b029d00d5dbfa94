#!/usr/bin/env python3
"""Adds up what `./build.sh test` ran: cargo test's result lines and the node test runner's TAP files in
DIR. Prints one closing line `N passed, N failed` and exits 1 when anything failed or nothing ran."""
import glob, os, re, sys

log = sys.argv[1]
passed = failed = 0
for path in sorted(glob.glob(os.path.join(log, "*.txt"))):
    text = open(path, encoding="utf-8", errors="replace").read()
    for p, f in re.findall(r"test result: \w+\. (\d+) passed; (\d+) failed", text):
        passed, failed = passed + int(p), failed + int(f)
for path in sorted(glob.glob(os.path.join(log, "*.tap"))):
    text = open(path, encoding="utf-8", errors="replace").read()
    p = re.findall(r"^# pass (\d+)$", text, re.M)
    f = re.findall(r"^# fail (\d+)$", text, re.M)
    if not p:
        print(f"{os.path.basename(path)}: no summary (the suite did not finish)")
        failed += 1
    passed += sum(map(int, p))
    failed += sum(map(int, f))
for path in sorted(glob.glob(os.path.join(log, "*.status"))):
    # One line per extra check (lint, scans): "name ok" or "name failed".
    name, status = open(path).read().split()
    passed, failed = (passed + 1, failed) if status == "ok" else (passed, failed + 1)
    if status != "ok":
        print(f"check failed: {name}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or not passed else 0)
