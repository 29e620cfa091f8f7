"""The HTML engines: what decides an HTML page's main content (``clean --engine``).

* ``model``: the learned content model reads every whole-page line's text features and the
  markup's evidence (:mod:`cleaner.inputs.html_evidence`: tag, ancestors, class/id words, link
  density, the element holding the page's prose...) in the main-body locator's place, then the
  specific detectors run on the whole page. No trafilatura extraction: the metadata is read from
  the page's own tags (:mod:`cleaner.inputs.html_metadata`).
* ``trafilatura``: trafilatura finds the main content, the ``html-extractor`` step cuts the lines
  it left out, the other detectors judge what it kept.
* ``ensemble``: trafilatura runs, and what it keeps of each line (kept, its neighbours kept, the
  distance to its nearest kept line...) becomes five more columns of a model trained with them:
  the two decisions are combined by a model learned on the dev sets, not by a vote.

Text inputs are cleaned the same whatever the engine.
"""

from __future__ import annotations

__all__ = ["DEFAULT_ENGINE", "ENGINES", "ENSEMBLE", "MODEL", "TRAFILATURA"]

MODEL, TRAFILATURA, ENSEMBLE = "model", "trafilatura", "ensemble"
ENGINES: tuple[str, ...] = (MODEL, TRAFILATURA, ENSEMBLE)
DEFAULT_ENGINE = MODEL  # leave-one-set-out it beats the trafilatura engine on macro F1, at a lower cost (README)
