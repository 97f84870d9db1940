"""What the exercise notebooks promise about tolerances is what their checks apply."""
from pathlib import Path

import nbformat
import pytest

from energylab import exercises
from energylab.exercises.statements import header_bullet, promised_tolerances, stamp, tolerance_note

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for folder in ("solutions", "exercises") for p in (ROOT / folder).glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_statement_states_its_tolerance_from_the_spec(path):
    nb = nbformat.read(path, as_version=4)
    ex = exercises.load(path.name[:2])
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for name in ex.names:
        assert f"exercise `{name}` · {tolerance_note(ex.spec(name))}" in text, name
    assert header_bullet(ex) in text
    assert not stamp(nb, ex), "run `make exercises`: the statements are out of date with the specs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_notebook_promises_a_tolerance_its_checks_do_not_apply(path):
    nb = nbformat.read(path, as_version=4)
    ex = exercises.load(path.name[:2])
    for line, tolerance in promised_tolerances(nb):
        if line == header_bullet(ex):  # generated from the specs, checked above
            continue
        named = [n for n in ex.names if f"`{n}`" in line]
        assert named, f"a tolerance promised outside an exercise's statement line: {line!r}"
        assert all(ex.spec(n).rtol == pytest.approx(tolerance) for n in named), line


def test_stamping_is_idempotent_and_rejects_unknown_names():
    ex = exercises.load("06")
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("*Objective 2* · exercise `carnot_cop`\n\nText."),
        nbformat.v4.new_markdown_cell("- Keep at least three significant figures: within 1 %\n  of it.\n- Next.")])
    assert stamp(nb, ex)
    first = nbformat.writes(nb)
    assert not stamp(nb, ex) and nbformat.writes(nb) == first
    assert nb.cells[0].source.startswith(f"*Objective 2* · exercise `carnot_cop` · accepted within "
                                         f"{ex.spec('carnot_cop').rtol * 100:g} %")
    assert nb.cells[1].source == header_bullet(ex) + "\n- Next."
    bad = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("*Objective 1* · exercise `nope`")])
    with pytest.raises(ValueError, match="nope"):
        stamp(bad, ex)
