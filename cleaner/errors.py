"""The one exception type users see: a bad input explained in one line."""


class InputError(Exception):
    """An input that cannot be cleaned; ``str(err)`` is a one-line reason for the user."""
