"""cleaner.text.langid_cache: the unpacked py3langid model is stored once and read back identical."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cleaner.text import langid_cache
from cleaner.text.langid_cache import CACHE_ENV, cache_root, load_identifier

SAMPLES = [
    "The council voted on Tuesday to close the old harbour road.",
    "Der Stadtrat hat am Dienstag beschlossen, die alte Hafenstraße zu schließen.",
    "Le conseil municipal a voté mardi la fermeture de l'ancienne route du port.",
    "市议会周二投票决定关闭旧港口道路",
    "",
]


@pytest.fixture(scope="module")
def packed():
    """The model as py3langid unpacks it (once for the module: it takes most of a second)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@pytest.fixture
def unpacks(packed, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Unpacking the model returns ``packed`` at once; the list records each unpack."""
    from py3langid.langid import LanguageIdentifier

    calls: list[str] = []

    def unpack(model_file, *args, **kwargs):
        calls.append(str(model_file))
        return packed

    monkeypatch.setattr(LanguageIdentifier, "from_model_file", unpack)
    return calls


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def model_folders(root: Path) -> list[Path]:
    return [path for path in root.iterdir() if path.name.startswith("py3langid-")] if root.is_dir() else []


def test_the_cached_model_ranks_exactly_like_the_packed_one(packed, unpacks: list[str], cache_dir: Path):
    first = load_identifier()  # unpacks the model and writes the cache
    assert len(unpacks) == 1 and len(model_folders(cache_dir)) == 1
    second = load_identifier()  # reads it back, memory-mapped
    assert len(unpacks) == 1
    for text in SAMPLES:
        expected = packed.rank(text)
        assert first.rank(text) == expected
        assert second.rank(text) == expected


def test_a_damaged_cache_is_unpacked_again(unpacks: list[str], cache_dir: Path):
    load_identifier()
    (folder,) = model_folders(cache_dir)
    (folder / "nextmove.bin").write_bytes(b"\0" * 10)  # truncated
    assert load_identifier().rank(SAMPLES[0])[0][0] == "en"
    assert len(unpacks) == 2


def test_the_cache_can_be_switched_off(unpacks: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(CACHE_ENV, "off")
    assert cache_root() is None
    monkeypatch.setenv("HOME", str(tmp_path))
    assert load_identifier().rank(SAMPLES[1])[0][0] == "de"
    assert load_identifier() and len(unpacks) == 2
    assert not any(tmp_path.iterdir())


def test_default_place_follows_xdg_then_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_root() == tmp_path / "cleaner"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as the XDG spec says
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_root() == tmp_path / ".cache" / "cleaner"


def test_copies_of_other_versions_are_removed(unpacks: list[str], cache_dir: Path):
    old = cache_dir / "py3langid-1-2-3-4"
    old.mkdir(parents=True)
    (old / "ptc.npy").write_bytes(b"old")
    load_identifier()
    assert [path.name for path in model_folders(cache_dir)] != [old.name]
    assert not old.exists() and len(model_folders(cache_dir)) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_cache_is_ignored(unpacks: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    monkeypatch.setenv(CACHE_ENV, str(locked / "cache"))
    assert load_identifier().rank(SAMPLES[0])[0][0] == "en"
    assert not (locked / "cache").exists()


def test_a_cache_folder_that_is_a_file_is_ignored(unpacks: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    monkeypatch.setenv(CACHE_ENV, str(blocker))
    assert load_identifier().rank(SAMPLES[0])[0][0] == "en"
    assert langid_cache.cache_root() == blocker and blocker.read_text() == "not a folder"
