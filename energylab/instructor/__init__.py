"""The instructor's tools behind the ``energylab`` command; a student's kernel never imports them.

Submodules (import the one you need; this package itself imports none of them):

* :mod:`~energylab.instructor.assign` — exercise notebooks from the solutions notebooks (``energylab assign``);
* :mod:`~energylab.instructor.grade` — a folder of submissions into a CSV gradebook (``energylab grade``);
* :mod:`~energylab.instructor.app` — a chapter's explorers as a standalone Voilà page (``energylab app``);
* :mod:`~energylab.instructor.kernels` — running a notebook in a fresh kernel of this Python (``energylab
  run``, and what ``assign`` and ``grade`` share);
* :mod:`~energylab.instructor.cli` — the command line itself (``energylab …`` and ``python -m energylab …``).
"""
