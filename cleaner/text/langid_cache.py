"""The ``py3langid`` model, loaded once per process and unpacked once per machine.

``py3langid`` ships its model LZMA-compressed (4.5 MB, 68 MB unpacked); unpacking it takes
about 0.7 s, which is most of the start-up of a one-page ``clean -``. The first process to
need it stores the unpacked arrays in a cache folder; later processes map them into memory
in a few milliseconds (only the parts of the tables a page uses are ever read).

The cache folder is ``$CLEANER_CACHE_DIR``, else ``$XDG_CACHE_HOME/cleaner``, else
``~/.cache/cleaner``; ``CLEANER_CACHE_DIR=off`` switches the cache off. Its name carries the
size and modification time of the model file and of py3langid's code, so an upgraded
``py3langid`` gets a fresh copy (and the copies of other versions are removed). A cache that
cannot be written or read is ignored: the model is then unpacked as usual. The arrays are
the model's own, so every guess is the same with or without the cache.
"""

from __future__ import annotations

import json
import mmap
import os
import shutil
import tempfile
from array import array
from pathlib import Path
from typing import Any

__all__ = ["CACHE_ENV", "cache_root", "load_identifier"]

CACHE_ENV = "CLEANER_CACHE_DIR"
_OFF = {"", "0", "off", "no", "none", "false"}
_META = "model.json"


def cache_root() -> Path | None:
    """The cache folder (``None`` when switched off with ``CLEANER_CACHE_DIR=off``)."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in _OFF else Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # the XDG spec ignores relative paths
        return Path(xdg) / "cleaner"
    home = os.path.expanduser("~")
    return Path(home) / ".cache" / "cleaner" if os.path.isabs(home) else None  # no home: no cache


def load_identifier() -> Any:  # -> py3langid.langid.LanguageIdentifier with norm_probs=True
    """The ``py3langid`` identifier (normalised probabilities), from the cache when it holds the model."""
    from py3langid import langid
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    folder = _model_folder(MODEL_DIR / MODEL_FILE, Path(langid.__file__))
    if folder is not None and folder.is_dir():
        try:
            return _read(folder, LanguageIdentifier)
        except (OSError, EOFError, ValueError, KeyError, TypeError):
            pass  # damaged or from another layout: unpack the model again below
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if folder is not None:
        _write(folder, identifier)
    return identifier


def _model_folder(model: Path, code: Path) -> Path | None:
    """The cache folder of this model file read by this version of py3langid's code."""
    root = cache_root()
    if root is None:
        return None
    try:
        stamps = [(info.st_size, info.st_mtime_ns) for info in (model.stat(), code.stat())]
    except OSError:
        return None
    return root / "py3langid-{}-{}-{}-{}".format(*stamps[0], *stamps[1])


def _read(folder: Path, identifier_class: type) -> Any:
    import numpy as np

    meta = json.loads((folder / _META).read_text(encoding="utf-8"))
    return identifier_class(
        np.load(folder / "ptc.npy", mmap_mode="r", allow_pickle=False),
        np.load(folder / "pc.npy", allow_pickle=False),
        meta["classes"],
        _map_array(folder / "nextmove.bin", meta["nextmove"]),
        _read_array(folder / "output.bin", meta["output"]).tolist(),
        norm_probs=True,
        tk_row=_read_array(folder / "row.bin", meta["row"]),
    )


def _map_array(path: Path, spec: list) -> memoryview:
    """The transition table (39 MB) memory-mapped: indexed like the array it was, read only where used."""
    typecode, length = spec
    with open(path, "rb") as stream:
        mapped = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
    values = memoryview(mapped).cast(typecode)
    if len(values) != length:
        raise ValueError(f"{path}: {len(values)} values, expected {length}")
    return values


def _read_array(path: Path, spec: list) -> array:
    typecode, length = spec
    values = array(typecode)
    with open(path, "rb") as stream:
        values.fromfile(stream, length)
    return values


def _write(folder: Path, identifier: Any) -> None:
    """Store the unpacked model in ``folder``; written beside it, then renamed into place (atomic)."""
    import numpy as np

    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    except OSError:
        return
    try:
        np.save(staging / "ptc.npy", np.ascontiguousarray(identifier.nb_ptc), allow_pickle=False)
        np.save(staging / "pc.npy", np.ascontiguousarray(identifier.nb_pc), allow_pickle=False)
        output = array("i", identifier.tk_output)
        meta = {"classes": list(identifier.nb_classes)}
        for name, values in (("nextmove", identifier.tk_nextmove), ("row", identifier.tk_row), ("output", output)):
            with open(staging / f"{name}.bin", "wb") as stream:
                values.tofile(stream)
            meta[name] = [values.typecode, len(values)]
        (staging / _META).write_text(json.dumps(meta), encoding="utf-8")
        os.rename(staging, folder)
    except (OSError, ValueError, TypeError, OverflowError):
        return  # another process got there first, a full disk, a read-only home: no cache this time
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for stale in folder.parent.glob("py3langid-*"):  # the copies of other py3langid versions
        if stale.name != folder.name and "." not in stale.name:  # (a name with a dot is being written)
            shutil.rmtree(stale, ignore_errors=True)
