"""``python -m energylab``: the same as the ``energylab`` command."""
import sys

from .instructor.cli import main

sys.exit(main())
