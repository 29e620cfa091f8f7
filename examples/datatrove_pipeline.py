"""Clean a crawl with datatrove: reader -> CleanerStep -> JsonlWriter, on this machine.

Needs the extra, installed from the checkout: ``pip install -e ".[datatrove]"`` (plus what datatrove's readers need:
``datatrove[io]``, or warcio, faust-cchardet, python-magic and orjson). Run from the repository root::

    .venv/bin/python examples/datatrove_pipeline.py crawl/ clean/ --tasks 4 --workers 2
    .venv/bin/python examples/datatrove_pipeline.py pages.jsonl clean/

The input is a WARC/WET file or a ``.jsonl`` file (``.gz``/``.zst`` too), or a folder of them
(the reader is chosen by the first file's name: ``.warc``/``.wet`` -> ``WarcReader``, which
reads WET ``conversion`` records and WARC ``response`` records; ``.jsonl`` -> ``JsonlReader``,
text in the ``"text"`` field). Every task writes ``OUT/<rank>.jsonl.gz``: the clean text, the
reader's metadata and ``metadata["cleaner"]`` (see :mod:`cleaner.integrations.datatrove`).
Logs and datatrove's stats (documents dropped, lines removed per detector) go to ``OUT/logs``.

On a Slurm cluster, keep the pipeline and swap the executor::

    from datatrove.executor import SlurmPipelineExecutor
    SlurmPipelineExecutor(pipeline, tasks=1000, time="10:00:00", partition="cpu", job_name="clean",
                          logging_dir="logs/clean", venv_path=".venv/bin/activate").run()

(``RayPipelineExecutor`` the same way, for a Ray cluster.)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.readers import JsonlReader, WarcReader
from datatrove.pipeline.writers import JsonlWriter

from cleaner.integrations.datatrove import CleanerStep

WARC_SUFFIXES = (".warc", ".wet", ".arc")
COMPRESSED = (".gz", ".zst")


def kind(path: Path) -> str | None:
    """``"warc"``, ``"jsonl"`` or ``None``, from a file's suffixes (a compression suffix is looked past)."""
    suffixes = [s for s in path.suffixes if s not in COMPRESSED]
    if any(s in WARC_SUFFIXES for s in suffixes):
        return "warc"
    return "jsonl" if suffixes and suffixes[-1] == ".jsonl" else None


def reader_for(source: Path) -> PipelineStep:
    """The datatrove reader for a file or a folder of files of one kind."""
    files = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file() and kind(p))
    if not files or kind(files[0]) is None:
        raise SystemExit(f"datatrove_pipeline: {source}: no .warc/.wet/.jsonl file (optionally .gz or .zst)")
    folder, pattern = (str(source.parent), source.name) if source.is_file() else (str(source), None)
    if kind(files[0]) == "warc":
        return WarcReader(folder, glob_pattern=pattern or "**/*.w[ae][rt]*")
    return JsonlReader(folder, glob_pattern=pattern or "**/*.jsonl*")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", type=Path, help="a WARC/WET or .jsonl file, or a folder of them")
    parser.add_argument("output", type=Path, help="output folder: <rank>.jsonl.gz per task, logs/ with the stats")
    parser.add_argument("--tasks", type=int, default=1, help="shards the input is split into (default 1)")
    parser.add_argument("--workers", type=int, default=1, help="tasks run at once (default 1)")
    parser.add_argument("--favor", choices=["precision", "balanced", "recall"], default=None)
    parser.add_argument("--spans", action="store_true", help="put the removed spans into metadata['cleaner']")
    args = parser.parse_args()
    if not args.input.exists():
        raise SystemExit(f"datatrove_pipeline: {args.input}: no such file or directory")
    pipeline = [
        reader_for(args.input),
        CleanerStep(favor=args.favor, spans=args.spans),
        JsonlWriter(str(args.output)),
    ]
    LocalPipelineExecutor(
        pipeline, tasks=args.tasks, workers=args.workers, logging_dir=str(args.output / "logs"), skip_completed=False,
    ).run()


if __name__ == "__main__":
    main()
