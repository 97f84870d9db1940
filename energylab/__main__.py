"""``python -m energylab``: the same as the ``energylab`` command."""
import sys

from .cli import main

sys.exit(main())
