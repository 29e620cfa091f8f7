#!/usr/bin/env python3
"""Memory benchmark: peak RSS of ``clean`` on adversarial inputs of every kind, at the input limits.

usage: python benchmarks/memory.py [--size 20.97] [--timeout 3600] [--cases NAME,...] [--list]

Each case builds one input that is as hostile to memory as its kind allows while staying a
real page (text, HTML, a WARC record of HTML, a JSONL record of text): ``--size`` MB at most
(default: the 20 MiB ``--max-size`` limit), and no more lines, characters on a line, HTML tags,
attributes or words than ``cleaner.inputs.decoding``'s limits accept, so each row is the worst input
that gets cleaned. It runs ``clean --jobs 1 --timeout T INPUT`` as a user would (a corpus with
``-o OUT.jsonl``) in its own process; the table gives the input's size, the wall time, the
peak RSS of the largest process (``getrusage`` of the command, started by a small launcher
process so this script's own memory is not counted), and the result (the error's reason when
the input was refused or timed out: the peak until then). The promise it checks: every input
stays under 500 MB per process, or is refused with a one-line error. Peak memory is printed,
never asserted. One case at a time (each takes seconds to a minute).
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import installed  # benchmarks/installed.py: this folder is on sys.path when a script runs
from speed import _tag, child_env

MB = 10**6
CEILING_MB = 500


def _fill(unit: Callable[[int], str], size: int, head: str = "", tail: str = "") -> str:
    """``head`` + ``unit(0)`` + ``unit(1)`` ... + ``tail``, as many units as fit in ``size`` bytes (ASCII units)."""
    parts, used, index = [head], len(head) + len(tail), 0
    while True:
        piece = unit(index)
        if used + len(piece) > size:
            break
        parts.append(piece)
        used += len(piece)
        index += 1
    parts.append(tail)
    return "".join(parts)


def _fixed(piece: str, size: int, head: str = "", tail: str = "") -> str:
    """``piece`` repeated to fill ``size`` bytes between ``head`` and ``tail`` (fast: no loop)."""
    return head + piece * ((size - len(head) - len(tail)) // len(piece)) + tail


_HTML_HEAD = "<!doctype html><html><head><title>t</title></head><body>"
_HTML_TAIL = "</body></html>\n"


def _html_words() -> int:
    """The words an HTML page's text may hold in the installed version."""
    from cleaner.inputs import decoding

    return getattr(decoding, "MAX_HTML_WORDS", 10**9)


def _limits() -> tuple[int, int, int]:
    """(lines a page, characters a line, start tags an HTML page may hold) in the installed version."""
    from cleaner.inputs import decoding

    return decoding.MAX_LINES, getattr(decoding, "MAX_LINE_CHARS", 10**9), getattr(decoding, "MAX_TAGS", 10**9)


def _html(piece: str, size: int, tags: int = 1) -> str:
    """``piece`` (holding ``tags`` start tags) repeated up to ``size`` bytes or the tag limit."""
    most = (_limits()[2] - 4) // tags  # <html>, <head>, <title>, <body>
    return _HTML_HEAD + piece * min(most, (size - len(_HTML_HEAD) - len(_HTML_TAIL)) // len(piece)) + _HTML_TAIL


def _long_lines(line: Callable[[int], str], size: int) -> str:
    """Lines of ``line(limit)`` (a line of at most ``limit`` characters) up to ``size`` bytes."""
    limit = _limits()[1]
    return _fill(lambda i: line(min(limit, size - 1)) + "\n", size)


def text_words_lines(size: int) -> str:
    """Lines of one-letter words ``a a a ...``, each as long as a line may be (the most words a byte can hold)."""
    return _long_lines(lambda chars: "a " * (chars // 2), size)


def text_distinct_lines(size: int) -> str:
    """Lines of distinct words (no cache can share them), each as long as a line may be."""
    words = " ".join(map(_tag, range(3_000_000)))
    counter = iter(range(10**9))

    def line(chars: int) -> str:
        start = next(counter) * chars % (len(words) - chars)
        return words[start: start + chars]

    return _long_lines(line, size)


def text_short_lines(size: int) -> str:
    """Many short lines of one word each (as many as the line limit allows)."""
    return _fill(lambda i: _tag(i) + "\n", min(size, 5 * _limits()[0]))


def text_long_lines(size: int) -> str:
    """Lines of ten thousand short distinct words each."""
    return _fill(lambda i: " ".join(_tag(i * 10_000 + j)[-2:] for j in range(10_000)) + "\n", size)


def text_one_token(size: int) -> str:
    """Lines of one word with no space, each as long as a line may be."""
    return _long_lines(lambda chars: "x" * chars, size)


def html_br(size: int) -> str:
    """``word <br>`` repeated: every line break a line of the whole-page text."""
    return _html("word <br>", size)


def html_links(size: int) -> str:
    """``<a>`` tags one after the other."""
    return _html('<a href="/x">w</a>', size)


def html_tiny_blocks(size: int) -> str:
    """Empty-ish block elements: ``<p>a</p>`` repeated (one line each, blank lines between)."""
    return _html("<p>a</p>", size)


def html_inline(size: int) -> str:
    """Tiny inline elements on one line: ``<b>a</b>`` repeated."""
    return _html("<b>a</b>", size)


def html_nested(size: int) -> str:
    """Deep nesting: ``<div>`` opened again and again."""
    return _html("<div>x", size)


def html_attributes(size: int) -> str:
    """Elements with as many attributes as a tag may hold, up to a page's attribute limit."""
    from cleaner.inputs import decoding

    per_tag = getattr(decoding, "MAX_TAG_ATTRIBUTES", 100_000)
    tags = max(1, getattr(decoding, "MAX_ATTRIBUTES", 10**9) // per_tag)
    tag = "<p" + "".join(f' a{i}="v"' for i in range(per_tag)) + ">text</p>"
    return _html(tag, min(size, tags * len(tag) + len(_HTML_HEAD) + len(_HTML_TAIL)))


def _html_paragraph(word: Callable[[int], str], size: int) -> str:
    """One paragraph of ``word(0) word(1) ...`` up to ``size`` bytes or the word limit, a ``<br>`` ending
    each line as long as a line may be."""
    words, line_chars = _html_words() - 10, _limits()[1]
    lines, line, used, chars = [], [], 0, 0
    for index in range(words):
        piece = word(index) + " "
        if used + len(piece) > size - 200:
            break
        if chars + len(piece) > line_chars:
            lines.append("".join(line))
            line, chars = [], 0
        line.append(piece)
        used, chars = used + len(piece), chars + len(piece)
    return _HTML_HEAD + "<br>".join([*lines, "".join(line)]) + _HTML_TAIL


def html_text_lines(size: int) -> str:
    """One paragraph of one-letter words, each line as long as a line may be, up to the word limit."""
    return _html_paragraph(lambda index: "a", size)


def html_distinct_lines(size: int) -> str:
    """The same with distinct words (each token its own string in the alignment)."""
    return _html_paragraph(_tag, size)


def _warc(html: str) -> bytes:
    body = html.encode()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
    head = ("WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n"
            "WARC-Target-URI: https://x.example/\r\nWARC-Date: 2026-01-01T00:00:00Z\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n")
    return gzip.compress(head.encode() + http + b"\r\n\r\n", compresslevel=1)


def warc_html_links(size: int) -> bytes:
    """A WARC response record whose HTML is the ``<a>`` case."""
    return _warc(html_links(size - 1024))


def jsonl_words_lines(size: int) -> bytes:
    """A JSONL record whose text is the longest lines of one-letter words."""
    return (json.dumps({"id": "x", "text": text_words_lines(size - 64)}) + "\n").encode()


# name -> (input file name, generator)
CASES: dict[str, tuple[str, Callable[[int], str | bytes]]] = {
    "text: longest lines of 'a a a'": ("page.txt", text_words_lines),
    "text: longest lines of distinct words": ("page.txt", text_distinct_lines),
    "text: short lines (line limit)": ("page.txt", text_short_lines),
    "text: lines of 10,000 words": ("page.txt", text_long_lines),
    "text: longest lines of one word": ("page.txt", text_one_token),
    "html: 'word <br>'": ("page.html", html_br),
    "html: <a> tags": ("page.html", html_links),
    "html: <p>a</p> blocks": ("page.html", html_tiny_blocks),
    "html: <b>a</b> inline": ("page.html", html_inline),
    "html: nested <div>": ("page.html", html_nested),
    "html: 10,000 attributes a tag": ("page.html", html_attributes),
    "html: longest lines of text": ("page.html", html_text_lines),
    "html: longest lines of distinct words": ("page.html", html_distinct_lines),
    "warc: html <a> tags": ("corpus.warc.gz", warc_html_links),
    "jsonl: longest lines of 'a a a'": ("corpus.jsonl", jsonl_words_lines),
}

_LAUNCHER = """
import resource, subprocess, sys, time
started = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
error = next((line for line in proc.stderr.decode(errors="replace").splitlines() if line.startswith("clean: ")), "")
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(proc.returncode, time.perf_counter() - started, peak, error, sep="\\t")
"""


def measure(name: str, size: int, tmp: Path, timeout: float) -> tuple[float, float, float, int, str]:
    """(input MB, seconds, peak RSS MB, exit status, the corpus document's or page's error) of one case."""
    filename, make = CASES[name]
    data = make(size)
    path = tmp / filename
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    args = [installed.clean_command("memory.py"), "--jobs", "1", "--timeout", str(timeout), str(path)]
    if filename.startswith("corpus"):
        args += ["-o", str(tmp / "out.jsonl")]
    proc = subprocess.run([sys.executable, "-c", _LAUNCHER, *args], capture_output=True, env=child_env(),
                          check=True, text=True)
    status, seconds, rss, error = proc.stdout.rstrip("\n").split("\t")
    input_mb = (len(gzip.decompress(data)) if filename.endswith(".gz") else path.stat().st_size) / MB
    return input_mb, float(seconds), int(rss) / 1024, int(status), error


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=20 * 1024 * 1024 / MB, help="input size in MB (10**6 bytes)")
    parser.add_argument("--cases", help="comma-separated case names or parts of them (default: all)")
    parser.add_argument("--timeout", type=float, default=3600, help="clean's --timeout (peak until then)")
    parser.add_argument("--list", action="store_true", help="list the cases and stop")
    args = parser.parse_args()
    if args.list:
        print("\n".join(CASES))
        return
    wanted = [part.strip() for part in args.cases.split(",")] if args.cases else [""]
    names = [name for name in CASES if any(part in name for part in wanted)]
    print("| case | input MB | seconds | peak MB | result |\n|---|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            input_mb, seconds, peak, status, error = measure(name, int(args.size * MB), Path(folder), args.timeout)
            verdict = "cleaned" if status == 0 else error.split(": ", 2)[-1] if error else f"exit {status}"
            flag = " **over**" if peak > CEILING_MB else ""
            print(f"| {name} | {input_mb:.1f} | {seconds:.0f} | {peak:.0f}{flag} | {verdict} |", flush=True)


if __name__ == "__main__":
    main()
