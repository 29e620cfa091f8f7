#!/usr/bin/env python3
"""How noisy are line labels made from gold text? One table per dump kind, a row per dev set.

usage: python benchmarks/labels.py [--sets scrapinghub dragnet ...] [--kinds dump_ht dump_in] [--shared ../shared]

Each dev set gives pages as whole-page dumps plus gold text (what to keep), not line labels.
`cleaner.training.labels.align` labels every dump line content or boilerplate by aligning it to
the gold. This prints, per set: pages, pages whose gold is broken (most of it not in the dump:
their lines are dropped from training, not guessed), the gold's mean coverage by the dump, lines
with words, the share labelled content, the share of near toss-ups (confidence < 0.5), and the
*oracle* F1: the set's score (its own metric, ../shared/dev-sets/score.py) when exactly the
lines labelled content are kept. An oracle far below 1.0 means labels that cannot be learned
from; it is also the ceiling of any line-level cleaner on that set.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner.training.dataset import SET_NAMES, dev_scorer  # noqa: E402
from cleaner.training.labels import align  # noqa: E402


@dataclass
class SetNoise:
    pages: int = 0
    broken: int = 0
    coverage: float = 0.0
    lines: int = 0
    content: int = 0
    uncertain: int = 0


def measure(score: ModuleType, name: str, kind: str) -> tuple[SetNoise, dict[str, float]]:
    folder = Path(score.SETS[name])
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    noise = SetNoise()
    counts = []
    for page_id, body in sorted(gold.items()):
        path = folder / kind / f"{page_id}.txt"
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines() if path.is_file() else []
        labels = align(lines, body)
        noise.pages += 1
        noise.coverage += labels.gold_coverage
        if labels.broken:
            noise.broken += 1
            continue
        worded = [label for label in labels.lines if label.tokens]
        noise.lines += len(worded)
        noise.content += sum(label.content for label in worded)
        noise.uncertain += labels.uncertain
        kept = "\n".join(line for line, label in zip(lines, labels.lines, strict=True) if label.content)
        counts.append(score.page_counts(body, kept))
    return noise, score.metrics(counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=list(SET_NAMES), choices=SET_NAMES)
    parser.add_argument("--kinds", nargs="+", default=["dump_ht", "dump_in"], choices=["dump_ht", "dump_in"])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    score = dev_scorer(args.shared)
    for kind in args.kinds:
        print(f"\n{kind}")
        print("| set | pages | broken gold | gold coverage | lines | content | toss-ups | oracle F1 |")
        print("|---|---|---|---|---|---|---|---|")
        for name in args.sets:
            noise, oracle = measure(score, name, kind)
            print(
                f"| {name} | {noise.pages} | {noise.broken} | {noise.coverage / max(noise.pages, 1):.3f} "
                f"| {noise.lines} | {noise.content / max(noise.lines, 1):.3f} "
                f"| {noise.uncertain / max(noise.lines, 1):.3f} | {oracle['f1']:.3f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
