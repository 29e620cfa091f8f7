#!/usr/bin/env python3
"""Check that a change left every output byte-identical (for speed work: faster, never different).

usage: python benchmarks/identical.py save REF      # record the current outputs in REF
       python benchmarks/identical.py check REF     # run again, compare with REF, list what differs

What is recorded, for the dev dumps (``../shared/bench-data/dump_ht``, ``dump_in``), the seeds
and every fixture page (``tests/fixtures/**``, markers stripped):

* the CLI's folder run (``clean DIR -o OUT``: clean texts and ``report.jsonl``, site
  repetition included), run from a fixed scratch folder so the recorded paths match;
* in-process :func:`cleaner.clean_text` records of every page, in the default mode and with
  ``favor=precision``, ``favor=recall`` and ``keep_title=False``;
* :func:`cleaner.explain_file` of a sample of lines of the fixture and seed pages (signals,
  main-body scores, labels).
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = (ROOT.parent / "shared" / "bench-data").resolve()
# CLEANER_IDENTICAL_SCRATCH: another scratch folder, so two checkouts can be checked at the same time
SCRATCH = Path(os.environ.get("CLEANER_IDENTICAL_SCRATCH", "/tmp/cleaner-identical"))
MODES: dict[str, dict] = {
    "default": {},
    "precision": {"favor": "precision"},
    "recall": {"favor": "recall"},
    "no-title": {"keep_title": False},
}


def stage_fixtures(target: Path) -> None:
    """Every marked fixture page with its two-character markers stripped, in its folder layout."""
    source = ROOT / "tests" / "fixtures"
    for path in sorted(source.rglob("*")):
        if path.suffix not in (".txt", ".dump") or not path.is_file():
            continue
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        text = "".join(line[2:] if len(line) > 2 else line[1:].lstrip(" ") for line in lines)
        out = target / path.relative_to(source).with_suffix(".txt")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")


def input_sets() -> dict[str, Path]:
    staged = SCRATCH / "inputs" / "fixtures"
    if staged.exists():
        shutil.rmtree(staged)
    stage_fixtures(staged)
    seeds = SCRATCH / "inputs" / "seeds"  # copied, so the recorded paths do not depend on the checkout
    if seeds.exists():
        shutil.rmtree(seeds)
    shutil.copytree(ROOT / "seeds", seeds)
    sets = {"seeds": seeds, "fixtures": staged}
    for kind in ("dump_ht", "dump_in"):
        if (DATA / kind).is_dir():
            sets[kind] = DATA / kind
    return sets


def run_all(out: Path) -> None:
    sets = input_sets()
    clean = Path(sys.executable).with_name("clean")
    run_dir = SCRATCH / "run"
    for name, folder in sets.items():
        target = run_dir / name
        if target.exists():
            shutil.rmtree(target)
        proc = subprocess.run([str(clean), str(folder), "-o", str(target)], capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"clean failed on {folder}: {proc.stderr[-500:]}")
        (target / "stderr.txt").write_text("\n".join(
            line for line in proc.stderr.splitlines() if "pages/s" not in line  # timing varies
        ))
    in_process(sets, run_dir)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(run_dir, out)


def in_process(sets: dict[str, Path], run_dir: Path) -> None:
    import cleaner
    from cleaner.outputs import report

    pages = sorted(path for folder in sets.values() for path in folder.rglob("*.txt"))
    for mode, options in MODES.items():
        with open(run_dir / f"records-{mode}.jsonl", "w", encoding="utf-8") as stream:
            for path in pages:
                result = cleaner.clean_text(path.read_text(encoding="utf-8"), source=str(path), **options)
                stream.write(report.dumps(report.record(result)))
                stream.write(report.dumps({"text": result.text}))
    explained = [path for path in pages if not str(path).startswith(str(DATA))]
    with open(run_dir / "explain.txt", "w", encoding="utf-8") as stream:
        for path in explained:
            total = len(path.read_text(encoding="utf-8").splitlines()) or 1
            lines = sorted({1, total, *range(1, total + 1, 9)})
            for explanation in cleaner.explain_file(path, lines):
                stream.write(repr(explanation) + "\n")


def compare(ref: Path, new: Path) -> list[str]:
    different: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        different.extend(f"{prefix}{name} (only in reference)" for name in cmp.left_only)
        different.extend(f"{prefix}{name} (new file)" for name in cmp.right_only)
        for name in cmp.common_files:
            if not filecmp.cmp(Path(cmp.left) / name, Path(cmp.right) / name, shallow=False):
                different.append(prefix + name)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(ref, new), "")
    return different


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["save", "check"])
    parser.add_argument("ref", type=Path)
    args = parser.parse_args()
    if args.action == "save":
        run_all(args.ref)
        print(f"saved to {args.ref}")
        return
    current = SCRATCH / "current"
    run_all(current)
    different = compare(args.ref, current)
    for name in different:
        print("DIFFERENT:", name)
    print("identical" if not different else f"{len(different)} files differ")
    sys.exit(1 if different else 0)


if __name__ == "__main__":
    main()
