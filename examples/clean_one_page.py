"""Clean one page from Python and print what was removed and why.

Run from the repository root:  .venv/bin/python examples/clean_one_page.py seeds/003_82738a320e21dc04.txt
"""

import sys
from pathlib import Path

from cleaner import clean_text


def main(path: str) -> None:
    result = clean_text(Path(path).read_text(encoding="utf-8"), source=path)
    print("title:", result.metadata.title)
    print("author:", result.metadata.author, "| date:", result.metadata.date)
    print(f"kept {result.lines_kept} of {result.lines_total} lines")
    for span in result.removed:
        if span.detector != "layout":
            first = span.text.strip().splitlines()[0] if span.text.strip() else ""
            print(f"  {span.first_line:>4}-{span.last_line:<4} {span.detector:<10} {span.rule:<5} {first[:60]}")
    assert result.rebuild() == Path(path).read_text(encoding="utf-8")  # the report is lossless
    print("\n" + result.text)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "seeds/003_82738a320e21dc04.txt")
