"""cleaner.runs.limits: every run's one way of turning a failed input into a kind and a one-line reason."""

from __future__ import annotations

import time

import pytest

from cleaner.errors import InputError
from cleaner.runs.limits import BAD_INPUT, ERROR, TIMEOUT, Failure, guarded, timeout_error


def _raise(err: BaseException):
    def work():
        raise err

    return work


def test_a_result_is_returned_as_it_is():
    assert guarded(lambda: 42, None) == (42, None)


def test_each_failure_has_its_kind_and_one_line():
    assert guarded(_raise(InputError("empty")), None) == (None, Failure(BAD_INPUT, "empty"))
    value, failure = guarded(_raise(RuntimeError("boom\nsecond line")), None)
    assert value is None and failure is not None and failure.kind == ERROR
    assert failure.reason == "internal error (RuntimeError: boom second line); please report it"


def test_an_input_over_the_time_limit_is_a_timeout():
    assert guarded(lambda: time.sleep(2), 0.05) == (None, Failure(TIMEOUT, timeout_error(0.05)))


def test_an_unknown_codec_is_the_callers_mistake_and_raised():
    with pytest.raises(LookupError):
        guarded(_raise(LookupError("unknown encoding")), None)
