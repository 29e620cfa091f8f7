"""Where inputs come from: the files named on the command line, and the corpus files among them.

A file given by name is always an input, whatever its suffix. A folder is searched
recursively for files ending in ``.txt``, ``.text``, ``.html`` or ``.htm`` (any case), or those
followed by ``.gz`` or ``.zst`` (decompressed when read); hidden
files and folders (name starting with ``.``) are skipped, and symlinked folders are not
followed. Whether an input is cleaned as HTML or as text is decided by its content, not its suffix.
Where each input's output goes is :mod:`cleaner.outputs.files`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cleaner.errors import InputError
from cleaner.inputs.decoding import STDIN

__all__ = [
    "INPUT_SUFFIXES",
    "Input",
    "corpus_inputs",
    "discover",
    "is_text_file",
    "uncompressed_name",
]

TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm")
COMPRESSED_SUFFIXES = (".gz", ".zst")  # a page compressed whole (page.txt.gz): decompressed when read
INPUT_SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES)
STDIN_NAME = "stdin"
NO_TEXT_FILES = f"no text or HTML files ({', '.join('*' + suffix for suffix in INPUT_SUFFIXES)}) in this folder"


@dataclass(frozen=True)
class Input:
    """One input file: ``path`` as shown to the user, ``rel`` its path relative to the folder given.

    ``error`` is set for an argument that yields no input (missing path, folder without text files).
    """

    path: str
    rel: PurePosixPath
    error: str | None = None

    @property
    def is_stdin(self) -> bool:
        return self.path == STDIN

    def sort_key(self) -> tuple[str, ...]:
        return PurePosixPath(self.path).parts


def is_text_file(name: str) -> bool:
    """True for a file name a folder search picks up: a text or HTML suffix (maybe + .gz/.zst), not hidden."""
    return not name.startswith(".") and uncompressed_name(name).lower().endswith(INPUT_SUFFIXES)


def uncompressed_name(name: str) -> str:
    """``page.txt.gz`` -> ``page.txt``: the name without a compression suffix."""
    lowered = name.lower()
    for suffix in COMPRESSED_SUFFIXES:
        if lowered.endswith(suffix):
            return name[: -len(suffix)]
    return name


def discover(paths: Iterable[str | Path]) -> list[Input]:
    """The inputs named by ``paths`` (files, folders, ``-``), deduplicated, in sorted order."""
    found: list[Input] = []
    seen: set[str] = set()
    for arg in paths:
        for item in _expand(str(arg)):
            key = item.path if item.is_stdin or item.error else os.path.realpath(item.path)
            if key not in seen:
                seen.add(key)
                found.append(item)
    return sorted(found, key=Input.sort_key)


def _expand(arg: str) -> list[Input]:
    if arg == STDIN:
        return [Input(STDIN, PurePosixPath(STDIN_NAME))]
    path = Path(arg)
    if not os.path.lexists(path):
        return [Input(arg, PurePosixPath(path.name), "no such file or directory")]
    if not path.is_dir():
        return [Input(str(path), PurePosixPath(path.name))]
    files = [Input(str(path / rel), rel) for rel in _walk(path)]
    if not files:
        return [Input(str(path), PurePosixPath(path.name), NO_TEXT_FILES)]
    return files


def _walk(folder: Path) -> Iterator[PurePosixPath]:
    for root, dirs, files in os.walk(folder, onerror=None, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = PurePosixPath(Path(root).relative_to(folder).as_posix())
        for name in sorted(files):
            if is_text_file(name) and os.path.isfile(os.path.join(root, name)):
                yield base / name if base.parts else PurePosixPath(name)


def corpus_inputs(paths: Iterable[str | Path], is_corpus: Callable[[str], bool]) -> list[Input] | None:
    """The corpus files named by ``paths`` (files, and folders searched like pages), or ``None``.

    ``None`` when the run is not a corpus run: no corpus file at all. A run that mixes corpus
    files with pages (or ``-``) raises :class:`InputError`: their outputs differ (JSONL, text files).
    """
    found: list[Input] = []
    pages = False
    for arg in map(str, paths):
        path = Path(arg)
        if arg != STDIN and path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                base = PurePosixPath(Path(root).relative_to(path).as_posix())
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    if is_corpus(name):
                        rel = base / name if base.parts else PurePosixPath(name)
                        found.append(Input(os.path.join(root, name), rel))
                    pages = pages or is_text_file(name)
        elif arg != STDIN and is_corpus(path.name):
            found.append(Input(arg, PurePosixPath(path.name)))
        else:
            pages = True
    if not found:
        return None
    if pages:
        raise InputError("corpus files (WARC, WET, JSONL) cannot be mixed with pages or - in one run; run them apart")
    return found
