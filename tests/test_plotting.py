"""Tests of energylab.plotting: palette, style, unit-aware labels and figures with alt text."""
import base64

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import is_color_like, to_hex  # noqa: E402

from energylab import plotting  # noqa: E402
from energylab.units import u  # noqa: E402

OKABE_ITO = {"#000000", "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7"}


@pytest.fixture(autouse=True)
def clean_matplotlib():
    plt.close("all")
    with mpl.rc_context():
        yield
    plt.close("all")


@pytest.mark.parametrize("name, unit, expected", [
    ("Energy", "kWh", "Energy (kWh)"),
    ("Energy", u.kWh, "Energy (kWh)"),
    ("Energy", 3 * u.kWh, "Energy (kWh)"),
    ("Energy", np.array([1.0, 2.0]) * u.MWh, "Energy (MWh)"),
    ("Carbon intensity", "gCO2e/kWh", "Carbon intensity (gCO2e/kWh)"),
    ("Carbon intensity", u.gCO2e / u.kWh, "Carbon intensity (gCO2e/kWh)"),
    ("Water", "m**3", "Water (m³)"),
    ("Power density", u.W / u.m ** 2, "Power density (W/m²)"),
    ("Growth", "1/yr", "Growth (1/yr)"),
    ("Energy per token", "J/token", "Energy per token (J/token)"),
    ("Share", u.dimensionless, "Share"),
    ("Share", 0.3 * u.dimensionless, "Share"),
    ("Share", None, "Share"),
    ("Share", "", "Share"),
    ("Share", "percent", "Share (%)"),
    ("Speed-up", "× baseline", "Speed-up (× baseline)"),
])
def test_axis_label(name, unit, expected):
    assert plotting.axis_label(name, unit) == expected


def test_palette_is_okabe_ito_with_eight_distinct_colours():
    colours = [to_hex(c) for c in plotting.PALETTE.values()]
    assert len(colours) == 8 and len(set(colours)) == 8
    assert set(colours) == OKABE_ITO
    assert all(is_color_like(c) for c in colours)


def test_use_style_sets_the_course_look_and_is_idempotent():
    plotting.use_style()
    first = dict(mpl.rcParams)
    plotting.use_style()
    assert dict(mpl.rcParams) == first
    cycle = [to_hex(c) for c in mpl.rcParams["axes.prop_cycle"].by_key()["color"]]
    assert cycle == [to_hex(c) for c in plotting.PALETTE.values()]
    assert mpl.rcParams["savefig.bbox"] != "tight"
    assert not mpl.rcParams["axes.spines.top"] and not mpl.rcParams["axes.spines.right"]
    assert mpl.rcParams["axes.grid"] and mpl.rcParams["font.size"] >= 10


def test_label_axes():
    fig, ax = plt.subplots()
    assert plotting.label_axes(ax, x=("Year", None), y=("Electricity", "TWh"), title="Demand") is ax
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("Year", "Electricity (TWh)", "Demand")
    plotting.label_axes(ax, y="Something else")
    assert ax.get_ylabel() == "Something else"


def test_plot_quantity_labels_and_converts():
    fig, ax = plt.subplots()
    hours = np.arange(3) * u.h
    (line,) = plotting.plot_quantity(ax, hours, np.array([0.0, 1.0, 2.0]) * u.kWh)
    assert ax.get_xlabel() == "Time (h)" and ax.get_ylabel() == "Energy (kWh)"
    np.testing.assert_allclose(line.get_ydata(), [0, 1, 2])
    (second,) = plotting.plot_quantity(ax, hours, np.array([1.0, 2.0, 3.0]) * u.MWh)
    np.testing.assert_allclose(second.get_ydata(), [1000, 2000, 3000])  # on the kWh axis
    assert ax.get_ylabel() == "Energy (kWh)"
    with pytest.raises(ValueError, match="power"):
        plotting.plot_quantity(ax, hours, np.ones(3) * u.W)


def test_plot_quantity_keeps_existing_labels_and_accepts_names():
    fig, ax = plt.subplots()
    ax.set_ylabel("Mine")
    plotting.plot_quantity(ax, [2024, 2025], [1, 2] * u.TWh, xname="Year")
    assert ax.get_ylabel() == "Mine" and ax.get_xlabel() == "Year"
    fig2, ax2 = plt.subplots()
    plotting.plot_quantity(ax2, [1, 2], [3, 4] * u.gCO2e / u.kWh, yname="Grid intensity")
    assert ax2.get_ylabel() == "Grid intensity (gCO2e/kWh)"


def test_show_outside_ipython_returns_figure_with_alt_and_closes():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    shown = plotting.show(fig, "Energy  grows\nlinearly with time.")
    assert isinstance(shown, plotting.FigureWithAlt)
    assert plt.get_fignums() == []
    data, metadata = shown._repr_mimebundle_()
    assert set(data) == {"image/png", "text/plain"}
    assert data["text/plain"] == "Figure: Energy grows linearly with time."
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")
    assert metadata["image/png"]["alt"] == "Energy grows linearly with time."


def test_show_text_is_deterministic():
    texts = []
    for _ in range(2):
        fig, ax = plt.subplots()
        ax.plot(np.random.default_rng().random(5))
        texts.append(plotting.show(fig, "Random walk")._repr_mimebundle_()[0]["text/plain"])
    assert texts[0] == texts[1] == "Figure: Random walk"


def test_show_in_ipython_displays_figure_and_caption(monkeypatch):
    import IPython.display
    shown = []
    monkeypatch.setattr(plotting, "_in_ipython", lambda: True)
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    fig, ax = plt.subplots()
    assert plotting.show(fig, "A <b>bold</b> claim") is None
    assert plt.get_fignums() == []
    figure, caption = shown
    assert isinstance(figure, plotting.FigureWithAlt)
    bundle = caption._repr_mimebundle_()
    assert bundle["text/plain"] == "Figure: A <b>bold</b> claim"
    assert "&lt;b&gt;" in bundle["text/html"] and "base64" not in bundle["text/html"]
    assert plotting.show(fig, "x", caption=False) is None and len(shown) == 3


# ---- number formats: ticks, values and shares that never collapse to "0" --------------------------

@pytest.mark.parametrize("locs, expected", [
    ([0, 0.25, 0.5, 0.75, 1], ["0.00", "0.25", "0.50", "0.75", "1.00"]),
    ([0, 0.5, 1, 1.5, 2], ["0.0", "0.5", "1.0", "1.5", "2.0"]),
    ([0, 0.002, 0.004], ["0.000", "0.002", "0.004"]),
    ([0, 2000, 4000, 6000], ["0", "2,000", "4,000", "6,000"]),
    ([-0.2, 0, 0.2], ["-0.2", "0.0", "0.2"]),
    ([-1e-17, 0.1], ["0.0", "0.1"]),                 # no "-0.0"
    ([5], ["5"]),
])
def test_tick_formatter_uses_the_decimals_the_spacing_needs(locs, expected):
    assert plotting.tick_formatter().format_ticks(locs) == expected


@pytest.mark.parametrize("top", [2.2, 0.28, 0.0031, 14_000.0])
def test_tick_formatter_on_an_axis_gives_distinct_labels(top):
    # "{x:,.0f}" wrote 0, 0, 1, 1, 1, 2, 2 for a 0-2.2 axis and all zeros for a 0-0.28 one
    fig, ax = plt.subplots()
    ax.set_ylim(0, top)
    ax.yaxis.set_major_formatter(plotting.tick_formatter())
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    values = [float(t.replace(",", "")) for t in labels]
    assert len(set(labels)) == len(labels) > 2
    np.testing.assert_allclose(values, ax.get_yticks(), atol=1e-12)
    assert all("," in t for t, v in zip(labels, values) if v >= 1000)
