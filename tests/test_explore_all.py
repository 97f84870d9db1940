"""What every explorer of every chapter must do, headlessly (new explorers are picked up by name).

Each explorer's own model and figure are tested in the file named after its module (test_explore_site.py).
"""
import base64
import copy

import matplotlib.pyplot as plt
import numpy as np
import pytest

from energylab import explore
from helpers import WIDGET_VIEW
from helpers.explorers import full_render, pixels

EXPLORERS = [getattr(explore, name) for name in explore.EXPLORERS]


def numeric(cls):
    return [(n, c) for n, c in cls.controls.items() if hasattr(c, "min")]


def test_every_chapter_explorer_is_listed():
    assert len(EXPLORERS) >= 8


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_builds_with_labelled_controls_and_axes(cls):
    e = cls()
    assert e.png.startswith(b"\x89PNG")
    assert e.title and e.text.startswith(f"Figure: {e.title}.")
    for name, control in e.controls.items():
        assert control.validate(name, e.values[name]) == e.values[name]
    for ax in e.figure.axes:
        if ax.axison:
            assert ax.get_ylabel() or ax.get_xlabel(), "every visible axis has a label"
    assert all("(" in c.description() for c in e.controls.values() if getattr(c, "unit", None))


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_compute_is_pure(cls):
    e = cls()
    values, result = dict(e.values), e.result
    first = e.compute(**values)
    snapshot = copy.deepcopy(first)
    second = e.compute(**values)
    for key in first:
        np.testing.assert_equal(second[key], snapshot[key])
    assert e.values == values and e.result is result


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_mimebundle_has_png_and_deterministic_text(cls):
    data, metadata = cls()._repr_mimebundle_()
    assert {WIDGET_VIEW, "image/png", "text/plain"} <= set(data)
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")
    assert "text/html" not in data
    assert "0x" not in data["text/plain"] and "<" not in data["text/plain"]
    again, _ = cls()._repr_mimebundle_()
    assert again["text/plain"] == data["text/plain"]
    assert metadata["image/png"]["alt"] == data["text/plain"]


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_out_of_range_is_rejected_and_state_kept(cls):
    e = cls()
    values, png, text = dict(e.values), e.png, e.text
    changes = [{"no_such_control": 1}]
    for name, control in numeric(cls):
        span = control.max - control.min
        changes += [{name: control.max + span}, {name: control.min - span}]
    changes += [{name: "no such option"} for name, c in cls.controls.items() if hasattr(c, "options")]
    for change in changes:
        with pytest.raises(ValueError, match=next(iter(change))):
            e.set(**change)
        assert e.values == values and e.png == png and e.text == text


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_wrong_type_is_rejected(cls):
    name = numeric(cls)[0][0]
    with pytest.raises(TypeError, match=name):
        cls().set(**{name: "high"})


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_fast_path_matches_a_fresh_explorer(cls):
    e = cls()
    for name, control in numeric(cls):  # the first numeric control whose mid value is allowed
        try:
            value = control.validate(name, e.values[name])
            candidates = [control.min + f * (control.max - control.min) for f in (0.37, 0.5, 0.63)]
            value = next(v for v in (_valid(control, name, c) for c in candidates) if v is not None
                         and v != e.values[name])
            break
        except StopIteration:
            continue
    else:
        pytest.skip("no numeric control with an in-between value")
    e.set(**{name: value})
    fresh = cls(**{name: value})
    assert e.text == fresh.text
    # identical up to anti-aliasing where animated artists overlap static ones
    assert np.mean(np.abs(pixels(e.png) - pixels(fresh.png)) > 0) < 0.005
    assert np.mean(np.abs(pixels(e.png) - full_render(e)) > 0) < 0.01


def _valid(control, name, value):
    step = getattr(control, "step", None)
    if step and not getattr(control, "base", None):
        value = control.min + round((value - control.min) / step) * step
    try:
        return control.validate(name, value)
    except (TypeError, ValueError):
        return None


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_updates_are_timed_and_every_corner_draws(cls):
    e = cls()
    e.widget  # noqa: B018  (builds the live view)
    for name, control in numeric(cls):
        e.set(**{name: control.max})
        assert 0 < e.last_update_seconds < 5
    for corner in (0, 1):
        e.set(**{n: (c.min, c.max)[corner] for n, c in numeric(cls)})
        assert e.png.startswith(b"\x89PNG") and e.text
    assert plt.get_fignums() == []


def _positions(control, n=8):
    """``n`` values across a slider's range on its step grid (a log slider's grid for LogSlider)."""
    import math

    from energylab.explore.base import LogSlider
    if isinstance(control, LogSlider):
        lo, hi = math.log(control.min, control.base), math.log(control.max, control.base)
        k = np.unique(np.round(np.linspace(0, (hi - lo) / control.step, n)))
        values = [min(control.base ** (lo + i * control.step), control.max) for i in k]
        return sorted({int(round(v)) for v in values}) if control.integer else values
    k = np.unique(np.round(np.linspace(0, (control.max - control.min) / control.step, n)))
    values = [min(control.min + i * control.step, control.max) for i in k]
    return [int(round(v)) for v in values] if control.integer else [float(v) for v in values]


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_every_control_changes_the_figure(cls):
    # Found in the browser: a control whose moves change neither the figure nor its caption looks
    # broken (the storage tank past what a week can fill; the grid menu under a shared price shape).
    silent = []
    for name, control in cls.controls.items():
        e = cls()
        seen = (e.png, e.text)
        values = control.options if hasattr(control, "options") else _positions(control)
        for value in values:
            if value == e.values[name]:
                continue
            e.set(**{name: value})
            if e.png == seen[0]:
                silent.append(f"{name}={value!r}")  # the caption alone is easy to miss
            seen = (e.png, e.text)
        plt.close(e.figure)
    assert not silent, f"{cls.__name__}: these settings leave the figure unchanged: {silent}"


def _one_step(control, value):
    """The value one keyboard arrow press away (up, or down at the top end)."""
    from energylab.explore.base import LogSlider
    if isinstance(control, LogSlider):
        up = value * control.base ** control.step
        new = up if up <= control.max else value / control.base ** control.step
    else:
        new = value + control.step if value + control.step <= control.max else value - control.step
    return int(round(new)) if control.integer else new


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_one_arrow_key_step_of_any_slider_changes_the_figure(cls):
    # A keyboard user moves a slider one step per key press; a step too fine to show looks broken
    # (found with the browser tests: price steps of 0.01 US¢/kWh changed nothing visible).
    still = []
    for name, control in numeric(cls):
        e = cls()
        before = e.png
        e.set(**{name: _one_step(control, e.values[name])})
        if e.png == before:
            still.append(name)
        plt.close(e.figure)
    assert not still, f"{cls.__name__}: one step of {still} leaves the figure unchanged"
