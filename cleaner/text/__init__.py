"""The text layer: pure text machinery that every other layer builds on.

What a page is (:mod:`~cleaner.text.page`) and what is learnt about it once (:mod:`~cleaner.text.facts`),
the labels detectors put on its lines
(:mod:`~cleaner.text.labels`), the layout a page was written in (:mod:`~cleaner.text.layout`),
its language (:mod:`~cleaner.text.language`, :mod:`~cleaner.text.langid_cache`), the per-line
signals (:mod:`~cleaner.text.signals`) and the phrase engine (:mod:`~cleaner.text.phrases`).

The rule: a module here imports only the standard library, third-party packages and other
``cleaner.text`` modules, never a cleaner module above it (detectors, pipeline, inputs, outputs,
runs, cli). ``tests/test_layers.py`` holds the package to it. Phrase *data* is read as files
below the root package, which is not an import.
"""
