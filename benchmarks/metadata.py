#!/usr/bin/env python3
"""Dev-set metadata check: how often title/author/date/language are found, and agreement with the HTML.

usage: python benchmarks/metadata.py [--data ../shared/bench-data] [--kinds dump_ht dump_in] [--show N]

The dev set has no gold metadata, so the reference is read from each page's HTML: ``og:title``
or ``<title>``, author meta tags or JSON-LD ``author``, and ``article:published_time`` /
JSON-LD ``datePublished`` (or htmldate's guess). The HTML reference is itself imperfect (site
names in titles, organisations as authors, time zones shifting dates), so "agree" is an
estimate; ``--show N`` prints N disagreements per field to check by eye.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from lxml import html as lxml_html

from cleaner import clean_text

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "bench-data"
FIELDS = ("title", "author", "date")


def _meta(tree, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            found = tree.xpath(f"//meta[@{attr}=$n]/@content", n=name)
            if found and found[0].strip():
                return found[0].strip()
    return None


def _jsonld(tree) -> list[dict]:
    items: list[dict] = []
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                items.append(item)
                stack.extend(v for k, v in item.items() if k == "@graph")
    return items


def _author_names(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _author_names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _author_names(item)]
    return []


def reference(path: Path) -> dict[str, str | None]:
    """Title, author and date as the page's HTML head declares them."""
    raw = path.read_bytes()
    declared = re.search(rb"charset=[\"']?([\w-]+)", raw[:4096])
    try:
        text = raw.decode(declared.group(1).decode() if declared else "utf-8")
    except (LookupError, UnicodeDecodeError):
        text = raw.decode("utf-8", errors="replace")
    tree = lxml_html.fromstring(text)
    ld = _jsonld(tree)
    title = _meta(tree, "og:title", "twitter:title") or (tree.findtext(".//title") or "").strip() or None
    authors = [n for item in ld for n in _author_names(item.get("author"))]
    author = _meta(tree, "author", "article:author", "byl", "sailthru.author", "parsely-author")
    if authors:
        author = "; ".join(dict.fromkeys(authors))
    day = _meta(tree, "article:published_time", "datePublished", "pubdate", "publishdate", "date")
    day = day or next((str(item["datePublished"]) for item in ld if item.get("datePublished")), None)
    if day is None:
        from htmldate import find_date

        day = find_date(text, original_date=True)
    found = re.search(r"\d{4}-\d\d-\d\d", day or "")
    return {"title": title, "author": author, "date": found.group(0) if found else None}


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower().replace("’", "'")))


def agrees(field: str, ours: str | None, ref: str | None) -> bool:
    if ours is None or ref is None:
        return False
    if field == "date":
        return ours == ref
    a, b = _words(ours), _words(ref)
    if field == "author":  # any shared surname-sized word
        return any(len(w) > 2 for w in a & b)
    return len(a & b) / max(1, min(len(a), len(b))) >= 0.8


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--kinds", nargs="+", default=["dump_ht", "dump_in"])
    parser.add_argument("--show", type=int, default=0, help="print N disagreements per field")
    args = parser.parse_args()
    if not (args.data / "html").is_dir():
        sys.exit(f"benchmarks/metadata.py: no dev set at {args.data}")
    ids = sorted(p.stem for p in (args.data / "html").glob("*.html"))
    refs = {i: reference(args.data / "html" / f"{i}.html") for i in ids}
    print(f"{'input':8} {'field':7} {'found':>6} {'in html':>8} {'agree':>6} {'agree/both':>11}")
    for kind in args.kinds:
        found: Counter[str] = Counter()
        ref_has: Counter[str] = Counter()
        agree: Counter[str] = Counter()
        both: Counter[str] = Counter()
        misses: dict[str, list[str]] = {f: [] for f in FIELDS}
        languages: Counter[str] = Counter()
        near_dates = 0
        for i in ids:
            meta = clean_text((args.data / kind / f"{i}.txt").read_text(encoding="utf-8")).metadata
            languages[meta.language or "-"] += 1
            for field in FIELDS:
                ours, ref = getattr(meta, field), refs[i][field]
                found[field] += ours is not None
                ref_has[field] += ref is not None
                both[field] += ours is not None and ref is not None
                if field == "date" and ours and ref:
                    # The HTML's timestamp is often UTC: one day off is a time zone, not a wrong date.
                    near_dates += abs((date.fromisoformat(ours) - date.fromisoformat(ref)).days) <= 1
                if agrees(field, ours, ref):
                    agree[field] += 1
                elif ours is not None or ref is not None:
                    misses[field].append(f"{i}: ours={ours!r} html={ref!r}")
        for field in FIELDS:
            rate = agree[field] / both[field] if both[field] else 0.0
            print(f"{kind:8} {field:7} {found[field]:>6} {ref_has[field]:>8} {agree[field]:>6} {rate:>11.2f}")
        print(f"{kind:8} date within one day of the html: {near_dates}")
        print(f"{kind:8} language {dict(languages)}")
        for field in FIELDS:
            for line in misses[field][: args.show]:
                print(f"  {kind} {field} {line}")


if __name__ == "__main__":
    main()
