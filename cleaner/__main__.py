"""``python -m cleaner``: the ``clean`` command, for when the console script is not on PATH."""

from cleaner.cli import main

if __name__ == "__main__":
    main()
