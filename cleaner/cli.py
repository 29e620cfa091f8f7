"""Placeholder; replaced by the real typer app."""


def main() -> None:
    raise SystemExit("not yet")
