"""The output layer: what a run writes for people and programs to read.

Its house (issue 13): ``report`` and its ``schemas/``, the ``terminal`` summary, ``files`` (output
names, atomic writes), ``corpus_output`` (the JSON lines of a corpus run, and reading them back),
and ``review/``, the self-contained HTML review page with its skeleton, CSS and JavaScript as files.
It sits above the pipeline and below ``runs``/``cli``: it reads results, it never cleans.
"""
