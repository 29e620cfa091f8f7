"""Runs: what the library's entry points do with inputs, above the pipeline, the inputs and the outputs.

* :mod:`cleaner.runs.page` - one page in memory (``clean_text``, ``clean_html``, ``explain_line``);
* :mod:`cleaner.runs.one` - one input read, cleaned under the time limit, or failed with a reason;
* :mod:`cleaner.runs.folder` - a folder run (site learning in :mod:`cleaner.runs.learning`,
  resuming in :mod:`cleaner.runs.resume`);
* :mod:`cleaner.runs.corpus` - a corpus run into JSON Lines;
* :mod:`cleaner.runs.parallel` and :mod:`cleaner.runs.limits` - worker processes and time limits.
"""
