#!/usr/bin/env python3
"""Counts individual test cases across meson test logs.

Each GLib test binary runs with --tap, so every `ok N` / `not ok N` line is one
test case; a test without TAP output counts as one case. A binary that crashed
or timed out counts as a failure even if its TAP lines all passed. Skipped cases
are reported separately and counted in neither total.

Usage: tap-summary.py TESTLOG.json... ; prints "N passed, N failed" last and exits
non-zero when anything failed or a log is missing.
"""
import json
import re
import sys

OK = re.compile(r"^ok\b(.*)$")
NOT_OK = re.compile(r"^not ok\b(.*)$")


def count(path):
    passed = failed = skipped = 0
    failures = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            entry = json.loads(line)
            name = entry.get("name", "?")
            result = entry.get("result", "")
            out = entry.get("stdout") or ""
            p = fl = s = 0
            for l in out.splitlines():
                m = OK.match(l)
                if m:
                    if "# SKIP" in m.group(1).upper():
                        s += 1
                    else:
                        p += 1
                    continue
                m = NOT_OK.match(l)
                if m:
                    if "# TODO" in m.group(1).upper():
                        s += 1
                    else:
                        fl += 1
                        failures.append(f"{name}: not ok{m.group(1)}")
            if p + fl + s == 0:
                if result in ("OK", "EXPECTEDFAIL"):
                    p = 1
                elif result == "SKIP":
                    s = 1
                else:
                    fl = 1
                    failures.append(f"{name}: {result}")
            elif result not in ("OK", "EXPECTEDFAIL", "SKIP") and fl == 0:
                fl = 1
                failures.append(f"{name}: {result} (after {p} passing cases)")
            passed += p
            failed += fl
            skipped += s
    return passed, failed, skipped, failures


def main():
    total_p = total_f = total_s = 0
    missing = False
    for path in sys.argv[1:]:
        try:
            p, fl, s, failures = count(path)
        except OSError as e:
            print(f"tap-summary: {e}", file=sys.stderr)
            missing = True
            continue
        for f in failures:
            print(f"FAILED {f}")
        print(f"{path}: {p} passed, {fl} failed, {s} skipped")
        total_p += p
        total_f += fl
        total_s += s
    if missing:
        total_f += 1
    summary = f"{total_p} passed, {total_f} failed"
    if len(sys.argv) > 1:
        import os
        out = os.path.join(os.path.dirname(os.path.dirname(sys.argv[1])), "test-summary.txt")
        with open(out, "w") as f:
            f.write(summary + "\n")
    print(summary)
    return 1 if total_f else 0


if __name__ == "__main__":
    sys.exit(main())
