"""Where outputs go: special files (devices, FIFOs, /dev/stdout) are written through, never replaced."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import leftovers
from typer.testing import CliRunner

from cleaner import clean_file
from cleaner.cli import app

CLEAN = shutil.which("clean", path=str(Path(sys.executable).parent))


def run(*args: object):
    return CliRunner().invoke(app, [str(arg) for arg in args])


def null_device(path: Path) -> Path:
    """A character device with /dev/null's numbers (1, 3), made in the test's folder."""
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return path


class FifoReader:
    """A FIFO in the test's folder with a thread reading everything written into it."""

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self.path, self.data = path, b""
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        with open(self.path, "rb") as stream:  # blocks until the writer opens the other end
            self.data = stream.read()

    def wait(self) -> bytes:
        """What was read; called once the command has returned, so the writer has closed its end."""
        self.thread.join(timeout=10)
        if self.thread.is_alive():  # nobody opened the FIFO: open it once so the thread ends
            os.close(os.open(self.path, os.O_WRONLY | os.O_NONBLOCK))
            self.thread.join(timeout=10)
        return self.data


def test_review_onto_a_character_device_writes_through(article, tmp_path):
    device = null_device(tmp_path / "n")
    result = run(article, "--review", device, "-q")
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.lstat(device).st_mode)  # still the device, not a regular file
    assert leftovers(tmp_path) == []


def test_report_onto_a_fifo_writes_through(article, tmp_path):
    fifo = FifoReader(tmp_path / "report.fifo")
    result = run(article, "--report", fifo.path)
    assert result.exit_code == 0, result.output
    record = json.loads(fifo.wait() or b"null")
    assert stat.S_ISFIFO(os.lstat(fifo.path).st_mode)
    assert record["path"] == str(article) and record["status"] == "ok"
    assert stat.S_ISFIFO(os.lstat(fifo.path).st_mode)


def test_report_onto_a_symlink_to_a_fifo_writes_through_and_keeps_the_link(article, tmp_path):
    fifo = FifoReader(tmp_path / "report.fifo")
    link = tmp_path / "report.json"
    link.symlink_to(fifo.path.name)
    result = run(article, "--report", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == "report.fifo"
    assert json.loads(fifo.wait() or b"null")["status"] == "ok"
    assert link.is_symlink() and os.readlink(link) == "report.fifo"
    assert stat.S_ISFIFO(os.lstat(fifo.path).st_mode)


def test_a_symlink_to_a_regular_file_gets_its_target_replaced(article, tmp_path):
    (tmp_path / "keep").mkdir()
    target = tmp_path / "keep" / "report.json"
    target.write_text("old")
    link = tmp_path / "report.json"
    link.symlink_to(target)
    result = run(article, "--report", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == target
    assert json.loads(target.read_text())["status"] == "ok"
    assert leftovers(tmp_path) == []


def test_folder_run_writes_through_a_special_report_and_output(pages, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    device = null_device(out / "report.jsonl")
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("old")
    name = sorted(path.name for path in pages.glob("*.txt"))[0]
    (out / name).symlink_to(elsewhere)
    result = run(pages, "-o", out, "-q")
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert (out / name).is_symlink() and elsewhere.read_text() == clean_file(pages / name).text
    assert leftovers(tmp_path) == []


def test_corpus_output_onto_a_fifo_writes_through(tmp_path):
    from test_corpus import crawl

    source = crawl(tmp_path)
    fifo = FifoReader(tmp_path / "out.jsonl")
    result = run(source, "-o", fifo.path, "-q", "--jobs", "1")
    assert result.exit_code == 1, result.output  # the crawl holds one binary record
    lines = fifo.wait().decode().splitlines()
    assert len(lines) == 7 and all(json.loads(line)["source"] == str(source) for line in lines)
    assert stat.S_ISFIFO(os.lstat(fifo.path).st_mode)


@pytest.mark.skipif(CLEAN is None, reason="the clean command is not installed")
def test_report_onto_a_link_to_proc_self_fd_1_goes_to_standard_output(article, tmp_path):
    link = tmp_path / "stdout-link"
    link.symlink_to("/proc/self/fd/1")
    done = subprocess.run([CLEAN, str(article), "--report", str(link)], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    record, text = done.stdout.split(b"\n", 1)
    assert json.loads(record)["status"] == "ok"
    assert text == clean_file(article).text.encode()
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"


def test_stop_signals_held_delivers_them_when_the_block_ends():
    """A stop between two writes that belong together (temp file and its name, output and record) waits."""
    from cleaner.outputs.files import stop_signals_held

    class Stop(BaseException):
        pass

    def stop(signum, frame):
        raise Stop(signum)

    done = []
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        with pytest.raises(Stop), stop_signals_held():
            os.kill(os.getpid(), signal.SIGTERM)
            os.kill(os.getpid(), signal.SIGINT)  # both noted; the first raised ends it
            done.append("first write")
            done.append("second write")
        assert done == ["first write", "second write"]
        assert signal.getsignal(signal.SIGTERM) is stop  # the handlers are put back
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGTERM, previous)
