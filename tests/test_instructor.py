"""The instructor's tools (energylab.instructor) stay out of a student's kernel; the command finds them."""
import subprocess
import sys

import pytest

from energylab import explore

# What a chapter, solutions or exercises notebook does: setup, an exercise set, an explorer shown.
STUDENT = """
import sys
import energylab
from energylab.notebook import setup
setup("00")
import energylab.exercises as exercises
ex = exercises.load("00")
ex.check("gpu_run_energy", 1)
import energylab.explore
from energylab.explore import DataCentreExplorer
DataCentreExplorer().text
print(sorted(m for m in sys.modules if m == "energylab.instructor" or m.startswith("energylab.instructor.")))
"""


def test_a_students_kernel_never_imports_the_instructor_tools():
    out = subprocess.run([sys.executable, "-c", STUDENT], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_the_explorer_registry_is_public_and_read_only():
    assert "DataCentreExplorer" in explore.EXPLORERS and "EXPLORERS" in explore.__all__
    assert all(getattr(explore, name).__module__ == f"energylab.explore.{module}"
               for name, module in explore.EXPLORERS.items())
    with pytest.raises(TypeError):
        explore.EXPLORERS["NewExplorer"] = "new"
