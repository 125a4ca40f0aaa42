"""Prints native entries, deopts and errors handed to the interpreter per corpus program and
mode, from the S6_STATS reports the differential tests leave in tests/.work/ (run
`make test` or `pytest tests/test_differential.py` first)."""
import json
import sys
from pathlib import Path

WORK = Path(__file__).resolve().parent.parent / "tests" / ".work"
MODES = ("hot", "all", "stress")


def main():
    rows = []
    for d in sorted(p for p in WORK.iterdir() if p.is_dir()):
        cells = []
        for mode in MODES:
            f = d / f"stats-{mode}.json"
            if not f.exists():
                cells.append("-")
                continue
            s = json.loads(f.read_text())
            cells.append(f"{s['functions_loaded']}/{s['native_entries']}/{s['deopts']}/{s['errors_to_interpreter']}")
        if any(c != "-" for c in cells):
            rows.append((d.name, *cells))
    if not rows:
        sys.exit("no stats found: run the differential tests first")
    print("loaded/native entries/deopts/errors handed to the interpreter, per mode")
    print(f"{'program':28} " + " ".join(f"{m:>24}" for m in MODES))
    for name, *cells in rows:
        print(f"{name:28} " + " ".join(f"{c:>24}" for c in cells))


if __name__ == "__main__":
    main()
