"""Integrations with engines that run ``clean`` past one machine; each is an optional extra.

* :mod:`cleaner.integrations.datatrove` - :class:`~cleaner.integrations.datatrove.CleanerStep`, a
  datatrove pipeline step (``pip install -e ".[datatrove]"`` in the checkout): datatrove's readers, writers and
  its local, Slurm and Ray executors around ``clean``.

Nothing is imported here, so ``import cleaner`` never needs an extra.
"""
