"""The one exception type users see (a bad input explained in one line), and how a run is stopped."""

__all__ = ["InputError", "Stopped", "os_reason"]


class InputError(Exception):
    """An input that cannot be cleaned; ``str(err)`` is a one-line reason for the user."""


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: a run unwinds exactly as on Ctrl-C (workers killed, temporary
    files removed, the report of what is done kept), then exits 128 + ``signum``."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def os_reason(err: OSError) -> str:
    """The one-line reason of an operating-system error, as the messages print it: ``no such file or directory``."""
    return (err.strerror or str(err)).lower()
