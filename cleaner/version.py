"""The package's version, in a leaf module: the root package, the records' provenance and
``clean --version`` read it without importing one another."""

__all__ = ["__version__"]

__version__ = "0.1.0"  # pyproject.toml's [project] version says the same (tests/test_packaging.py checks)
