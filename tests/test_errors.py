import errno
import os

from cleaner.errors import os_reason


def test_an_os_error_reads_as_its_lower_case_reason_without_the_errno_or_path():
    err = FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), "/no/such/page.txt")
    assert os_reason(err) == "no such file or directory"


def test_an_os_error_without_a_strerror_reads_as_its_message():
    assert os_reason(OSError("Pipe Closed")) == "pipe closed"
