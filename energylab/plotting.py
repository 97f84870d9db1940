"""The course's figure style, unit-aware axis labels, and figures that carry their alt text.

Every figure in the course has labelled axes with units, a title, colour-blind-safe colours
(the Okabe–Ito palette) and a one-line text description for readers who cannot see it::

    >>> from energylab import plotting
    >>> from energylab.units import u
    >>> plotting.axis_label("Carbon intensity", u.gCO2e / u.kWh)
    'Carbon intensity (gCO2e/kWh)'

matplotlib is imported inside the functions that need it, so importing this module stays cheap.
"""
from __future__ import annotations

import base64
import functools
import html
import io
import math
import re
import sys

import pint

from .formatting import percent, rounded, significant  # noqa: F401  (re-exported: explorers use them)
from .units import describe_dimension, ureg

__all__ = ["PALETTE", "STYLE", "use_style", "axis_label", "label_axes", "plot_quantity",
           "significant", "rounded", "percent", "tick_formatter", "FigureWithAlt", "show"]

#: The Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), distinguishable with every
#: common form of colour-vision deficiency. Ordered as the colour cycle uses it: strong, well
#: separated colours first; yellow (low contrast on white) and black (kept for reference lines) last.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish_green": "#009E73",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "sky_blue": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}

#: rcParams of the course style (see :func:`use_style`). Explorers apply them to their own figures
#: without touching the global settings.
STYLE = {
    "axes.prop_cycle": None,  # filled lazily (needs matplotlib's cycler)
    "figure.dpi": 100,
    "figure.figsize": (7.0, 3.6),
    "savefig.dpi": "figure",
    "savefig.bbox": "standard",  # not "tight": tight bboxes need an extra draw on every save
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 2.0,
}

# Symbols of this course's registry that read badly on an axis ("1/a" for per year).
_SYMBOL_FIXES = {"a": "yr", "tok": "token"}


def style_rc() -> dict:
    """The course's rcParams as a dict ready for ``matplotlib.rc_context`` or ``rcParams.update``."""
    if STYLE["axes.prop_cycle"] is None:
        from cycler import cycler
        STYLE["axes.prop_cycle"] = cycler(color=list(PALETTE.values()))
    return STYLE


def use_style() -> None:
    """Apply the course style to matplotlib's global settings (idempotent).

    Sets the Okabe–Ito colour cycle, readable font sizes, a light grid, no top/right spines,
    a 100-dpi figure and non-tight saving (faster). Calling it again changes nothing.
    """
    import matplotlib as mpl
    mpl.rcParams.update(style_rc())


def _unit_text(unit) -> str:
    """Short, readable text of a unit: ``'gCO2e/kWh'``, ``'m³'``, ``''`` when dimensionless."""
    if isinstance(unit, pint.Quantity):
        unit = unit.units
    if isinstance(unit, str):
        try:
            unit = ureg.Unit(unit)
        except (pint.errors.PintError, ValueError, TypeError, AttributeError, SyntaxError):
            # Not a unit pint knows: keep the author's text, with powers made readable.
            return re.sub(r"\s*\*\*\s*(\d)", lambda m: "⁰¹²³⁴⁵⁶⁷⁸⁹"[int(m.group(1))], unit).strip()
    text = format(unit, "~P")
    return re.sub(r"[A-Za-z_]\w*", lambda m: _SYMBOL_FIXES.get(m.group(0), m.group(0)), text)


def axis_label(name: str, unit=None) -> str:
    """An axis label with its unit: ``axis_label("Energy", "kWh")`` → ``'Energy (kWh)'``.

    Parameters
    ----------
    name : str
        What the axis shows, capitalised ("Energy", "Carbon intensity").
    unit : pint.Unit, pint.Quantity, str or None
        The unit; a quantity's unit is used. Pure numbers (dimensionless, None, "") give just the name.

    Returns
    -------
    str
        The label, with pint's short symbols and powers as superscripts ("W/m²").
    """
    text = _unit_text(unit) if unit is not None else ""
    return f"{name} ({text})" if text else name


def _label(spec) -> str | None:
    if spec is None or isinstance(spec, str):
        return spec
    name, unit = spec
    return axis_label(name, unit)


def label_axes(ax, x=None, y=None, title: str | None = None):
    """Label both axes (and optionally the title) of ``ax``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    x, y : tuple of (str, unit) or str, optional
        ``("Year", None)``, ``("Energy", "TWh")`` or a ready-made label.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, for chaining.
    """
    if x is not None:
        ax.set_xlabel(_label(x))
    if y is not None:
        ax.set_ylabel(_label(y))
    if title is not None:
        ax.set_title(title)
    return ax


def _dimension_name(value) -> str:
    """'Energy' for a quantity in kWh, '' for plain numbers or unnamed dimensions."""
    text = describe_dimension(value)
    if not isinstance(value, pint.Quantity) or text.startswith(("a pure", "a quantity of")):
        return ""
    words = text.split(" (e.g.")[0].split(" ", 1)[1]  # drop the article
    return words[:1].upper() + words[1:]


def plot_quantity(ax, x, y, *, xname: str | None = None, yname: str | None = None, **kw):
    """Plot pint quantities on ``ax`` and label the axes from their units.

    The first quantity plotted on an axis fixes its unit; later quantities are converted to it,
    so kWh and MWh curves can share an axis. Labels are only written when the axis has none.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    x, y : pint.Quantity or array_like
        Plain numbers are plotted as they are.
    xname, yname : str, optional
        Axis names; by default the dimension's name ("Energy", "A power" → "Power").
    **kw
        Passed to ``ax.plot``.

    Returns
    -------
    list of matplotlib.lines.Line2D

    Raises
    ------
    ValueError
        If a quantity's dimension does not match the unit already used on that axis.
    """
    units = ax.__dict__.setdefault("_energylab_units", {})
    mags = []
    for key, value, name in (("x", x, xname), ("y", y, yname)):
        if isinstance(value, pint.Quantity):
            if key in units:
                try:
                    value = value.to(units[key])
                except pint.DimensionalityError:
                    raise ValueError(
                        f"{key} is {describe_dimension(value)} but this axis is in "
                        f"{_unit_text(units[key])}.") from None
            else:
                units[key] = value.units
            axis = ax.xaxis if key == "x" else ax.yaxis
            name = name or _dimension_name(value)
            if name and not axis.get_label_text():
                axis.set_label_text(axis_label(name, value.units))
            value = value.magnitude
        elif name and not (ax.xaxis if key == "x" else ax.yaxis).get_label_text():
            (ax.xaxis if key == "x" else ax.yaxis).set_label_text(name)
        mags.append(value)
    return ax.plot(*mags, **kw)


def tick_formatter(max_decimals: int = 9):
    """A tick formatter for linear axes: thousands separators, as many decimals as the tick spacing needs.

    ``{x:,.0f}`` writes ticks 0, 0.25, 0.5 as "0", "0", "0"; this formatter reads all the tick
    locations (in ``set_locs``) and writes "0.00", "0.25", "0.50" — and "0", "2,000", "4,000" for
    large ticks. Each call returns a new formatter (an axis owns its formatter).

    Parameters
    ----------
    max_decimals : int
        Upper bound on the decimals, for ticks that are not round numbers.
    """
    return _spacing_formatter()(max_decimals)


@functools.cache
def _spacing_formatter():
    from matplotlib.ticker import Formatter  # here, so importing this module stays cheap

    class SpacingFormatter(Formatter):
        """Thousands separators; enough decimals to write every tick exactly (see :func:`tick_formatter`)."""

        def __init__(self, max_decimals: int = 9):
            self.max_decimals = max_decimals
            self.decimals = 0

        def set_locs(self, locs):
            super().set_locs(locs)
            self.decimals = _tick_decimals(locs, self.max_decimals)

        def __call__(self, x, pos=None):
            text = f"{x:,.{self.decimals}f}"
            return text[1:] if text.startswith("-") and not text.strip("-0.,") else text  # no "-0.0"

    return SpacingFormatter


def _tick_decimals(locs, max_decimals: int = 9) -> int:
    """The fewest decimals (up to ``max_decimals``) that write every value of ``locs`` exactly."""
    values = sorted({float(v) for v in locs if math.isfinite(v)})
    steps = [b - a for a, b in zip(values, values[1:])]
    scale = min(steps) if steps else max((abs(v) for v in values), default=0.0)
    if scale <= 0:
        return 0
    decimals = max(0, -math.floor(math.log10(scale)))
    # ticks 0.25 apart need one decimal more than their spacing's decade
    while decimals < max_decimals and any(abs(round(v, decimals) - v) > 1e-6 * scale for v in values):
        decimals += 1
    return min(decimals, max_decimals)


def render_png(fig, *, compress_level: int = 1) -> bytes:
    """PNG bytes of a figure, fast: no tight bbox, light compression, no metadata timestamp."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches=None, metadata={"Software": None},
                pil_kwargs={"compress_level": compress_level})
    return buf.getvalue()


class FigureWithAlt:
    """A rendered figure plus its one-line text description, for Jupyter display.

    The display bundle is

    * ``image/png`` — the figure (nbval ignores images, so pixel differences never fail a test);
    * ``text/plain`` — ``"Figure: <alt>"``, deterministic, so nbval can compare it, and it is what
      text-only frontends and the saved notebook file carry;
    * metadata ``{"image/png": {"alt": alt}}`` — keeps the description attached to the image in
      the ``.ipynb`` file (JupyterLab and nbconvert do not read it today; nbval skips metadata).

    There is deliberately no ``text/html``: an ``<img alt=… src="data:…">`` would be the only way to
    set a real ``alt`` attribute, but nbval compares ``text/html`` and the base64 pixels change
    with matplotlib and FreeType versions. Screen-reader users get the text instead from the
    visible caption that :func:`show` prints under the figure.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Rendered once, at construction; the figure may be closed afterwards.
    alt : str
        One line saying what the figure shows (its point, not its styling).
    """

    def __init__(self, fig, alt: str):
        self.alt = " ".join(str(alt).split())
        self.png = render_png(fig)

    @property
    def text(self) -> str:
        """The plain-text form: ``'Figure: <alt>'``."""
        return self.alt if self.alt.lower().startswith("figure") else f"Figure: {self.alt}"

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        data = {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.text}
        return data, {"image/png": {"alt": self.alt}}

    def __repr__(self) -> str:
        return self.text


class Caption:
    """A visible one-line caption (``text/html`` and ``text/plain``, both deterministic)."""

    def __init__(self, text: str):
        self.text = text

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        return {"text/plain": self.text,
                "text/html": f'<p class="energylab-caption"><em>{html.escape(self.text)}</em></p>'}

    def __repr__(self) -> str:
        return self.text


def _in_ipython() -> bool:
    ipython = sys.modules.get("IPython")
    return ipython is not None and ipython.get_ipython() is not None


def show(fig, alt: str, *, caption: bool = True):
    """Display ``fig`` with its text description, then close it.

    In IPython/Jupyter this displays a :class:`FigureWithAlt` (PNG + text) followed, when
    ``caption`` is true, by the same text as a visible caption, so screen readers and readers of
    the notebook on GitHub or as HTML get the description too. The figure is then closed so the
    inline backend does not show it a second time. Outside IPython nothing is displayed.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    alt : str
        One line saying what the figure shows.
    caption : bool
        Also display the text under the figure.

    Returns
    -------
    FigureWithAlt or None
        The object (outside IPython); None inside IPython, so the cell does not show it twice.
    """
    shown = FigureWithAlt(fig, alt)
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close(fig)
    if not _in_ipython():
        return shown
    from IPython.display import display
    display(shown)
    if caption:
        display(Caption(shown.text))
    return None
