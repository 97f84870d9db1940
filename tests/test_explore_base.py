"""Headless tests of energylab.explore: controls, in-place updates, widgets, errors and display."""
import base64

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from energylab.explore import Choice, Explorer, LogSlider, Slider  # noqa: E402
from energylab.explore.base import ExampleExplorer, _d3_format  # noqa: E402

from helpers import WIDGET_VIEW  # noqa: E402
from helpers.explorers import full_render, pixels  # noqa: E402


class _SineExplorer(Explorer):
    """A wave whose frequency, amplitude and shape are controls; fixed axes, so updates blit."""

    title = "A test wave"
    controls = {
        "freq": Slider("Frequency", 0.5, 5.0, 0.5, 1.0, unit="Hz"),
        "amp": Slider("Amplitude", 0.1, 2.0, 0.1, 1.0, unit="V", fmt="{:.1f}"),
        "shape": Choice("Shape", ["sine", "square"], "sine"),
    }
    calls = 0

    def compute(self, freq, amp, shape):
        type(self).calls += 1
        t = np.linspace(0, 2, 200)
        y = amp * np.sin(2 * np.pi * freq * t)
        if shape == "square":
            y = amp * np.sign(y)
        return {"t": t, "y": y, "peak": float(np.max(np.abs(y)))}

    def draw(self, fig, result):
        ax = fig.add_subplot()
        (self.line,) = ax.plot(result["t"], result["y"], animated=True)
        self.note = ax.text(0.02, 0.9, "", transform=ax.transAxes, animated=True)
        ax.set(title=self.title, xlabel="Time (s)", ylabel="Voltage (V)", ylim=(-2.2, 2.2))
        self.update(result)

    def update(self, result):
        self.line.set_ydata(result["y"])
        self.note.set_text(f"peak {result['peak']:.2f} V")

    def describe(self, result):
        return f"A wave with a peak of {result['peak']:.2f} V."


class _Broken(_SineExplorer):
    """Its model fails for the largest amplitude."""

    def compute(self, freq, amp, shape):
        if amp >= 2.0:
            raise RuntimeError("model blew up")
        return super().compute(freq, amp, shape)


class _NoUpdate(_SineExplorer):
    """Uses the base class's slow default update (clear + draw)."""

    update = Explorer.update

    def draw(self, fig, result):
        ax = fig.add_subplot()
        (self.line,) = ax.plot(result["t"], result["y"])
        ax.set_ylim(-2.2, 2.2)


# ---- construction and set() ----------------------------------------------------------------------

def test_defaults_and_initial_values():
    e = _SineExplorer()
    assert e.values == {"freq": 1.0, "amp": 1.0, "shape": "sine"}
    assert e.result["peak"] == pytest.approx(1.0, abs=0.01)
    assert e.png.startswith(b"\x89PNG")
    e2 = _SineExplorer(amp=0.5, shape="square")
    assert e2.values["amp"] == 0.5 and e2.values["shape"] == "square"
    assert e2.result["peak"] == pytest.approx(0.5)


def test_set_changes_artists_image_and_text():
    e = _SineExplorer()
    y0, png0, text0 = e.line.get_ydata().copy(), e.png, e.text
    assert e.set(amp=2.0) is e
    assert e.values["amp"] == 2.0
    assert np.max(np.abs(e.line.get_ydata())) == pytest.approx(2.0, abs=0.01)
    assert not np.allclose(e.line.get_ydata(), y0)
    assert e.png != png0
    assert e.text != text0 and "2.00 V" in e.text
    assert e.note.get_text() == "peak 2.00 V"
    assert 0 < e.last_update_seconds < 5


@pytest.mark.parametrize("kwargs, word", [
    ({"nope": 1}, "nope"), ({"freq": 9.0}, "freq"), ({"amp": 0.0}, "amp"),
    ({"shape": "triangle"}, "shape"), ({"freq": float("nan")}, "freq"),
])
def test_bad_values_raise_value_error_naming_the_control(kwargs, word):
    with pytest.raises(ValueError, match=word):
        _SineExplorer(**kwargs)
    e = _SineExplorer()
    png = e.png
    with pytest.raises(ValueError, match=word):
        e.set(**kwargs)
    assert e.values == {"freq": 1.0, "amp": 1.0, "shape": "sine"} and e.png == png


def test_wrong_type_is_a_type_error():
    with pytest.raises(TypeError, match="freq"):
        _SineExplorer(freq="fast")
    with pytest.raises(TypeError, match="amp"):
        _SineExplorer(amp=True)


def test_failing_set_raises_and_keeps_the_last_good_state():
    e = _Broken()
    y0, png0, values0 = e.line.get_ydata().copy(), e.png, dict(e.values)
    with pytest.raises(RuntimeError):
        e.set(amp=2.0)
    assert e.values == values0 and e.png == png0
    np.testing.assert_allclose(e.line.get_ydata(), y0)


def test_fast_path_draws_the_same_picture_as_a_full_draw():
    e = _SineExplorer()
    e.set(freq=3.0, amp=1.5)
    fresh = _SineExplorer(freq=3.0, amp=1.5)
    np.testing.assert_array_equal(pixels(e.png), pixels(fresh.png))
    # and the same as matplotlib's own full render, up to anti-aliasing where artists overlap
    assert np.mean(np.abs(pixels(e.png) - full_render(e)) > 0) < 0.005


def test_static_changes_trigger_a_full_redraw():
    e = ExampleExplorer()
    top = e.ax.get_ylim()[1]
    e.set(gpus=64, power=1.0)  # leaves the y-range: set_ylim marks the figure stale
    assert e.ax.get_ylim()[1] > top >= 0
    assert np.mean(np.abs(pixels(e.png) - full_render(e)) > 0) < 0.005
    e.set(gpus=60)  # stays in range: blitted
    assert np.mean(np.abs(pixels(e.png) - full_render(e)) > 0) < 0.005


def test_default_update_redraws_everything():
    e = _NoUpdate()
    png = e.png
    e.set(amp=0.3)
    assert e.png != png
    assert np.max(np.abs(e.line.get_ydata())) == pytest.approx(0.3, abs=0.01)


def test_default_describe_lists_the_controls():
    class Plain(_SineExplorer):
        describe = Explorer.describe
    assert Plain().text == "Figure: A test wave. Frequency: 1 Hz; Amplitude: 1.0 V; Shape: sine."


# ---- widgets ------------------------------------------------------------------------------------

def test_widget_controls_update_artists_image_and_caption():
    import ipywidgets as w
    e = _SineExplorer()
    box = e.widget
    assert e.widget is box and isinstance(box, w.VBox)
    freq, amp, shape, image, caption = box.children
    assert isinstance(freq, w.FloatSlider) and freq.continuous_update
    assert isinstance(shape, w.Dropdown) and isinstance(image, w.Image)
    assert amp.readout_format == ".1f" and "Amplitude (V)" == amp.description
    assert image.value == e.png
    y0, png0, html0 = e.line.get_ydata().copy(), image.value, caption.value

    amp.value = 0.5
    assert e.values["amp"] == 0.5 and e.last_error is None
    assert not np.allclose(e.line.get_ydata(), y0)
    assert image.value != png0 and image.value == e.png
    assert caption.value != html0 and "0.50 V" in caption.value

    png1 = image.value
    shape.value = "square"
    assert e.values["shape"] == "square" and image.value != png1
    assert set(np.round(np.unique(np.abs(e.line.get_ydata())), 6)) <= {0.0, 0.5}


def test_set_updates_existing_widgets_without_recomputing_twice():
    e = _SineExplorer()
    amp = e.widget.children[1]
    before = _SineExplorer.calls
    e.set(amp=1.7)
    assert _SineExplorer.calls == before + 1
    assert amp.value == 1.7 and e.widget.children[3].value == e.png


def test_error_in_widget_callback_is_caught_and_shown():
    e = _Broken()
    amp, image, caption = e.widget.children[1], e.widget.children[3], e.widget.children[4]
    amp.value = 1.5
    good_png, good_y, good_values = image.value, e.line.get_ydata().copy(), dict(e.values)
    amp.value = 2.0  # must not raise
    assert isinstance(e.last_error, RuntimeError)
    assert "Could not redraw" in caption.value and "model blew up" in caption.value
    assert image.value == good_png and e.values == good_values
    np.testing.assert_allclose(e.line.get_ydata(), good_y)
    amp.value = 0.5  # recovers
    assert e.last_error is None and "Could not" not in caption.value and image.value != good_png


def test_int_slider_and_readout_formats():
    import ipywidgets as w
    e = ExampleExplorer()
    power, gpus, pue = e.widget.children[:3]
    assert isinstance(gpus, w.IntSlider) and isinstance(power, w.FloatSlider)
    assert power.readout_format == ".2f" and pue.value == 1.5
    gpus.value = 16
    assert e.values["gpus"] == 16 and "16 GPUs" in e.text
    pue.value = 1.1
    assert "Liquid" in e.text
    assert _d3_format("{:.0%}") == ".0%" and _d3_format("{:,.0f}") == ",.0f"
    assert _d3_format("{:.0f} W") is None and _d3_format(None) is None


def test_slider_spec_is_checked():
    with pytest.raises(ValueError):
        Slider("x", 1.0, 0.0, 0.1, 0.5)
    with pytest.raises(ValueError):
        Slider("x", 0.0, 1.0, 0.1, 2.0)
    with pytest.raises(ValueError):
        Choice("c", ["a", "b"], "z")
    with pytest.raises(ValueError, match="whole number"):
        ExampleExplorer(gpus=2.5)


def test_log_slider_validates_and_builds_a_log_widget():
    s = LogSlider("Batch size", 1, 1024, 16, base=2, step=1, integer=True, unit="sequences")
    assert s.validate("batch", 64.0) == 64 and isinstance(s.validate("batch", 64.0), int)
    assert s.validate("batch", 63.7) == 64                   # the slider's float is rounded
    with pytest.raises(ValueError, match="between"):
        s.validate("batch", 2048)
    with pytest.raises(TypeError, match="number"):
        s.validate("batch", "many")
    with pytest.raises(ValueError):
        LogSlider("bad", 0, 10, 1)                            # a log scale cannot start at 0
    import ipywidgets
    widget = s.make_widget(16, {}, ipywidgets.Layout())
    assert type(widget).__name__ == "FloatLogSlider"
    assert (widget.base, widget.min, widget.max, widget.value) == (2, 0, 10, 16)
    assert "sequences" in widget.description


# ---- display ------------------------------------------------------------------------------------

def test_mimebundle_has_widget_image_and_deterministic_text():
    data, metadata = _SineExplorer()._repr_mimebundle_()
    assert {WIDGET_VIEW, "image/png", "text/plain"} <= set(data)
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")
    assert data["text/plain"] == "Figure: A test wave. A wave with a peak of 1.00 V."
    assert "text/html" not in data
    other, _ = _SineExplorer()._repr_mimebundle_()
    assert other["text/plain"] == data["text/plain"]
    assert other[WIDGET_VIEW]["model_id"] != data[WIDGET_VIEW]["model_id"]  # why nbval skips it
    assert metadata["image/png"]["alt"] == data["text/plain"]


def test_show_outside_ipython_returns_the_explorer():
    e = _SineExplorer()
    assert e.show() is e
    assert repr(e) == "_SineExplorer(freq=1.0, amp=1.0, shape='sine')"


def test_building_explorers_leaves_no_pyplot_figures():
    explorers = [_SineExplorer(), ExampleExplorer(), _NoUpdate()]
    for e in explorers:
        _ = e.widget  # builds the widget and its figure
        e.set(**{next(iter(e.controls)): list(e.controls.values())[0].max})
    assert plt.get_fignums() == []


# ---- properties ---------------------------------------------------------------------------------

@given(st.floats(allow_nan=False, allow_infinity=False))
def test_slider_accepts_exactly_its_range(x):
    slider = _SineExplorer.controls["amp"]
    if 0.1 <= x <= 2.0:
        assert 0.1 <= slider.validate("amp", x) <= 2.0
    elif x < 0.1 - 1e-6 or x > 2.0 + 1e-6:
        with pytest.raises(ValueError, match="amp"):
            slider.validate("amp", x)


def test_choice_matches_numbers_and_strings_across_types():
    assert ExampleExplorer.controls["pue"].validate("pue", np.float64(1.1)) == 1.1
    assert _SineExplorer.controls["shape"].validate("shape", np.str_("square")) == "square"
