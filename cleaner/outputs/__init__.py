"""The output layer: what a run writes for people and programs to read.

Its house (issue 13): the report and its schemas, the terminal summary, atomic file writes, and
``review/``, the self-contained HTML review page with its skeleton, CSS and JavaScript as files.
It sits above the pipeline and below ``runs``/``cli``: it reads results, it never cleans.
"""
