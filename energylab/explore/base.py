"""The one small class every interactive figure of the course is built on.

An explorer is a pure model (:meth:`Explorer.compute`), a few controls, and a matplotlib figure
that is built once (:meth:`Explorer.draw`) and then changed in place (:meth:`Explorer.update`)::

    import numpy as np
    from energylab.explore import Explorer, Slider, Choice

    class DemandExplorer(Explorer):
        title = "Data-centre electricity to 2030"
        controls = {
            "growth": Slider("Annual growth", 0.0, 0.30, 0.01, 0.15, fmt="{:.0%}"),
            "region": Choice("Region", ["World", "US"], "World"),
        }

        def compute(self, growth, region):          # numbers in, plain data out; no matplotlib
            start = {"World": 415.0, "US": 176.0}[region]  # TWh; real explorers cite energylab.sources
            years = np.arange(2024, 2031)
            return {"years": years, "twh": start * (1 + growth) ** (years - 2024)}

        def draw(self, fig, result):                # build axes and artists ONCE
            ax = fig.add_subplot()
            (self.line,) = ax.plot(result["years"], result["twh"], animated=True)
            ax.set_ylim(0, 2100)                    # fixed: room for the highest growth
            ax.set(title=self.title, xlabel="Year", ylabel="Electricity (TWh)")

        def update(self, result):                   # change artists in place
            self.line.set_ydata(result["twh"])

        def describe(self, result):                 # one line of alt text
            return f"Demand reaches {result['twh'][-1]:,.0f} TWh in 2030."

    DemandExplorer()            # last line of a cell: live controls in JupyterLab, a PNG elsewhere

Speed: artists created with ``animated=True`` are redrawn alone over a cached background when
nothing else changed (about 4 ms instead of about 15 ms per update on one core). Changing
anything else — axis limits, titles, a non-animated artist — marks the figure stale and the
next render redraws everything, so marking artists is an optimisation, never a correctness risk.
(Animated artists are drawn after, so on top of, all the others: do not animate an artist that
a legend or annotation must cover.)
:class:`ExampleExplorer` at the end of this module is a complete, tested template.
"""
from __future__ import annotations

import base64
import html
import io
import math
import re
import sys
import time
from numbers import Integral, Real

import numpy as np

__all__ = ["Control", "Slider", "LogSlider", "Choice", "SourcedControls", "Explorer", "ExampleExplorer"]


class Control:
    """Base of the control specifications (:class:`Slider`, :class:`Choice`)."""

    label: str
    default: object

    def validate(self, name: str, value):
        """Return ``value`` checked and normalised, or raise naming the control ``name``."""
        raise NotImplementedError

    def description(self) -> str:
        """The text shown next to the control widget."""
        return self.label

    def make_widget(self, value, style: dict, layout):
        """Create the ipywidgets control (ipywidgets is imported by the caller)."""
        raise NotImplementedError

    def format(self, value) -> str:
        """The value as a reader sees it."""
        return str(value)


def _is_number(x) -> bool:
    return isinstance(x, (Real, np.number)) and not isinstance(x, (bool, np.bool_))


def _d3_format(fmt: str | None) -> str | None:
    """The d3-format equivalent of a Python format such as ``"{:.0%}"``, or None if there is none."""
    match = re.fullmatch(r"\{:([^{}]*)\}", fmt or "")
    if match and re.fullmatch(r"[+\- ]?,?(\.\d+)?[efgd%]", match.group(1)):
        return match.group(1)
    return None


class Slider(Control):
    """A numeric control: a slider from ``min`` to ``max`` in steps of ``step``.

    Integer ``min``, ``max``, ``step`` and ``default`` give an integer slider.

    Parameters
    ----------
    label : str
        What the control sets, for readers ("Annual growth").
    min, max, step, default : float or int
        Range, step and starting value (``min <= default <= max``, ``step > 0``).
    unit : str, optional
        Unit of the value, shown after the label; :meth:`Explorer.compute` gets plain numbers.
    fmt : str, optional
        Python format for the value (``"{:.0%}"``, ``"{:,.0f}"``); used for the slider's readout
        when it has a d3-format equivalent, and by :meth:`format`.
    """

    def __init__(self, label: str, min, max, step, default, *, unit: str | None = None,
                 fmt: str | None = None):
        numbers = (min, max, step, default)
        if not all(isinstance(x, Real) and not isinstance(x, bool) and math.isfinite(x) for x in numbers):
            raise TypeError(f"Slider {label!r}: min, max, step and default must be finite numbers.")
        if not min < max or step <= 0 or not min <= default <= max:
            raise ValueError(f"Slider {label!r}: need min < max, step > 0 and min <= default <= max; "
                             f"got {min}, {max}, {step}, {default}.")
        self.integer = all(isinstance(x, Integral) for x in numbers)
        cast = int if self.integer else float
        self.label, self.unit, self.fmt = label, unit, fmt
        self.min, self.max, self.step, self.default = (cast(x) for x in numbers)

    def __repr__(self) -> str:
        return (f"Slider({self.label!r}, {self.min!r}, {self.max!r}, {self.step!r}, {self.default!r}, "
                f"unit={self.unit!r}, fmt={self.fmt!r})")

    def validate(self, name: str, value):
        if not _is_number(value):
            raise TypeError(f"{name} ({self.label}) must be a number; got {type(value).__name__} {value!r}.")
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"{name} ({self.label}) must be finite; got {value}.")
        slack = 1e-9 * (self.max - self.min)  # float noise from the frontend (0.30000000000000004)
        if not self.min - slack <= value <= self.max + slack:
            raise ValueError(f"{name} ({self.label}) must be between {self.format(self.min)} and "
                             f"{self.format(self.max)}; got {self.format(value)}.")
        value = min(max(value, self.min), self.max)
        if self.integer:
            if value != round(value):
                raise ValueError(f"{name} ({self.label}) must be a whole number; got {value:g}.")
            return int(round(value))
        return value

    def description(self) -> str:
        return f"{self.label} ({self.unit})" if self.unit else self.label

    def format(self, value) -> str:
        text = self.fmt.format(value) if self.fmt else f"{value:g}"
        return f"{text} {self.unit}" if self.unit and not text.endswith(self.unit) else text

    def make_widget(self, value, style, layout):
        import ipywidgets as w
        cls = w.IntSlider if self.integer else w.FloatSlider
        kw = dict(value=value, min=self.min, max=self.max, step=self.step,
                  description=self.description(), continuous_update=True, style=style, layout=layout)
        readout = _d3_format(self.fmt)
        if readout:
            kw["readout_format"] = readout
        return cls(**kw)


class LogSlider(Slider):
    """A numeric control whose slider moves in equal ratios (an ipywidgets ``FloatLogSlider``).

    Parameters
    ----------
    label : str
        What the control sets.
    min, max, default : float
        Range and starting value, all greater than 0 (``min <= default <= max``).
    base : float
        The slider moves the exponent of ``base`` (2: 1, 2, 4, …; 10: 1, 10, 100, …).
    step : float
        Step of the exponent.
    integer : bool
        Values are whole numbers (a value from the slider is rounded to the nearest one).
    unit, fmt : str, optional
        As for :class:`~energylab.explore.base.Slider`.
    readout : str, optional
        d3 format of the widget's readout (default ``".3s"``: 7.00G).
    """

    def __init__(self, label: str, min, max, default, *, base: float = 10, step: float = 0.05,
                 integer: bool = False, unit: str | None = None, fmt: str | None = None, readout: str = ".3s"):
        numbers = (min, max, default, base, step)
        if not all(isinstance(x, Real) and not isinstance(x, bool) and math.isfinite(x) for x in numbers):
            raise TypeError(f"LogSlider {label!r}: min, max, default, base and step must be finite numbers.")
        if not 0 < min < max or not min <= default <= max or base <= 1 or step <= 0:
            raise ValueError(f"LogSlider {label!r}: need 0 < min < max, min <= default <= max, base > 1 and "
                             f"step > 0; got {min}, {max}, {default}, {base}, {step}.")
        cast = int if integer else float
        self.label, self.unit, self.fmt, self.readout = label, unit, fmt, readout
        self.integer, self.base = bool(integer), float(base)
        self.min, self.max, self.default = cast(min), cast(max), cast(default)
        self.step = float(step)

    def __repr__(self) -> str:
        return (f"LogSlider({self.label!r}, {self.min!r}, {self.max!r}, {self.default!r}, base={self.base:g}, "
                f"step={self.step:g}, integer={self.integer})")

    def validate(self, name: str, value):
        if not isinstance(value, (Real, np.number)) or isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{name} ({self.label}) must be a number; got {type(value).__name__} {value!r}.")
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"{name} ({self.label}) must be finite; got {value}.")
        slack = 1e-9 * self.max
        if not self.min - slack <= value <= self.max + slack:
            raise ValueError(f"{name} ({self.label}) must be between {self.format(self.min)} and "
                             f"{self.format(self.max)}; got {self.format(value)}.")
        value = min(max(value, self.min), self.max)
        return int(round(value)) if self.integer else value

    def make_widget(self, value, style, layout):
        import ipywidgets as w
        log = math.log(self.base)
        return w.FloatLogSlider(value=value, base=self.base, min=math.log(self.min) / log,
                                max=math.log(self.max) / log, step=self.step, description=self.description(),
                                continuous_update=True, readout_format=self.readout, style=style, layout=layout)


class Choice(Control):
    """A control choosing one of a few options (a dropdown).

    Parameters
    ----------
    label : str
        What the control chooses ("Region").
    options : sequence
        The values, or ``(text, value)`` pairs when the value is not readable text
        (``[("Air cooling", 1.5), ("Liquid cooling", 1.1)]``).
    default : object
        One of the values.
    """

    def __init__(self, label: str, options, default):
        pairs = [tuple(o) if isinstance(o, (tuple, list)) and len(o) == 2 else (str(o), o) for o in options]
        if not pairs:
            raise ValueError(f"Choice {label!r} needs at least one option.")
        self.label, self.pairs = label, pairs
        self.options = [value for _, value in pairs]
        if not any(default is v or default == v for v in self.options):
            raise ValueError(f"Choice {label!r}: default {default!r} is not one of its options.")
        self.default = default

    def __repr__(self) -> str:
        return f"Choice({self.label!r}, {self.pairs!r}, {self.default!r})"

    def validate(self, name: str, value):
        for option in self.options:
            if value is option or (type(value) is type(option) and value == option) or \
                    (isinstance(value, str) and isinstance(option, str) and value == option) or \
                    (_is_number(value) and _is_number(option) and value == option):
                return option
        allowed = ", ".join(repr(v) for v in self.options)
        raise ValueError(f"{name} ({self.label}) must be one of {allowed}; got {value!r}.")

    def format(self, value) -> str:
        return next(text for text, v in self.pairs if v is value or v == value)

    def make_widget(self, value, style, layout):
        import ipywidgets as w
        return w.Dropdown(options=self.pairs, value=value, description=self.description(),
                          style=style, layout=layout)


class SourcedControls:
    """Class attribute whose controls are built on first access, not at import.

    Controls whose defaults come from :mod:`energylab.sources` need the registry file; building
    them lazily keeps ``import energylab.explore`` free of file reading. Decorate a function of the
    class that returns the ``{name: Slider/Choice}`` dict::

        class MyExplorer(Explorer):
            @SourcedControls
            def controls(cls):
                return {"pue": Slider("PUE", 1.0, 2.5, 0.01, float(get("uptime_average_pue_2024").q))}

    The dict is built once per class and then shared, like an ordinary class attribute.
    """

    def __init__(self, build):
        self.build = build
        self.cache = {}
        self.__doc__ = build.__doc__

    def __get__(self, obj, cls=None):
        cls = cls if cls is not None else type(obj)
        if cls not in self.cache:
            self.cache[cls] = self.build(cls)
        return self.cache[cls]


class Explorer:
    """An interactive figure: controls → pure model → figure updated in place.

    Subclasses set :attr:`title` and :attr:`controls` and write :meth:`compute`, :meth:`draw`,
    :meth:`update` and :meth:`describe` (see the module docstring and :class:`ExampleExplorer`).

    Parameters
    ----------
    **initial
        Starting values overriding the controls' defaults, e.g. ``DemandExplorer(growth=0.2)``.

    Attributes
    ----------
    values : dict
        Current control values (what :meth:`compute` was last called with successfully).
    result : object
        The last successful output of :meth:`compute`.
    figure : matplotlib.figure.Figure
        The explorer's own figure (not managed by pyplot, so nothing leaks into the inline backend).
    last_update_seconds : float or None
        Kernel-side time of the last update: compute + update + render (+ pushing the new image to
        the widget when it exists).
    last_error : Exception or None
        The error of the last failed update from a control widget; None after a successful one.

    Raises
    ------
    ValueError
        For an unknown control name or a value out of range (the message names the control).
    TypeError
        For a value of the wrong type (text for a slider).
    """

    #: Figure title, used in the alt text ("Figure: <title>. <describe()>").
    title: str = ""
    #: Control name → :class:`Slider` / :class:`Choice`; names are :meth:`compute`'s arguments.
    controls: dict = {}
    #: Figure size in inches and resolution; 7 × 3.6 in at 90 dpi is 630 × 324 pixels.
    figsize: tuple = (7.0, 3.6)
    dpi: int = 90
    #: Apply ``tight_layout`` once after :meth:`draw` (never on every update: it costs a draw).
    tight_layout: bool = True
    #: PNG zlib level: 1 is fastest; 6 saves ~10 % of the bytes and costs ~1 ms more per update.
    png_compress_level: int = 1

    # ---- to be written by subclasses ---------------------------------------------------------
    def compute(self, **values):
        """The model: control values in, plain data (numbers, arrays, dicts) out. No matplotlib."""
        raise NotImplementedError(f"{type(self).__name__} must define compute().")

    def draw(self, fig, result) -> None:
        """Build the axes and artists once for ``result``; keep the artists needed by :meth:`update`."""
        raise NotImplementedError(f"{type(self).__name__} must define draw().")

    def update(self, result) -> None:
        """Change the artists in place for a new ``result`` (``set_data``, ``set_text``, ``set_ylim``).

        The default clears the figure and calls :meth:`draw` again: correct but slow.
        """
        self.figure.clear()
        self._draw(result)
        if self.tight_layout:
            self.figure.tight_layout()

    def describe(self, result) -> str:
        """One line saying what the figure shows now (alt text). Default: the control values."""
        return "; ".join(f"{c.label}: {c.format(self.values[n])}" for n, c in self.controls.items()) + "."

    # ---- machinery -----------------------------------------------------------------------------
    def __init__(self, **initial):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        for name, control in self.controls.items():
            if not isinstance(control, Control):
                raise TypeError(f"{type(self).__name__}.controls[{name!r}] must be a Slider or a Choice.")
        self.values = {name: control.default for name, control in self.controls.items()}
        self.values.update(self._validate(initial))
        self.last_error = None
        self.last_update_seconds = None
        self._widget = None
        self._control_widgets = {}
        self._syncing = False
        self._background = None
        self._animated = []
        self.result = self.compute(**self.values)
        self.figure = Figure(figsize=self.figsize, dpi=self.dpi)
        FigureCanvasAgg(self.figure)
        self._draw(self.result)
        if self.tight_layout:
            self.figure.tight_layout()
        self._png = self._render()

    def _draw(self, result) -> None:
        import matplotlib as mpl

        from ..plotting import style_rc
        with mpl.rc_context(style_rc()):
            self.draw(self.figure, result)

    def _validate(self, changes: dict) -> dict:
        checked = {}
        for name, value in changes.items():
            if name not in self.controls:
                known = ", ".join(self.controls) or "none"
                raise ValueError(f"{type(self).__name__} has no control named {name!r}; "
                                 f"its controls are: {known}.")
            checked[name] = self.controls[name].validate(name, value)
        return checked

    def set(self, **changes) -> Explorer:
        """Change control values: validate → compute → update → render (→ widget). Returns self.

        On any error the explorer keeps its previous values, result and image, and re-raises.
        """
        new = self._validate(changes)
        start = time.perf_counter()
        values = {**self.values, **new}
        try:
            result = self.compute(**values)
            self.update(result)
            png = self._render()
        except Exception:
            self._background = None  # the canvas may hold a half-drawn frame
            try:
                self.update(self.result)  # put the artists back to the last good state
            except Exception:
                pass
            raise
        self.values, self.result, self._png = values, result, png
        self.last_error = None
        if self._widget is not None:
            self._push(new)
        self.last_update_seconds = time.perf_counter() - start
        return self

    def _render(self) -> bytes:
        """PNG of the figure: full draw if anything static changed, else blit the animated artists."""
        from PIL import Image

        fig = self.figure
        canvas = fig.canvas
        if fig.stale or self._background is None or self._background[0] is not canvas.get_renderer():
            canvas.draw()  # (animated artists are left out of a plain draw)
            self._background = (canvas.get_renderer(), canvas.copy_from_bbox(fig.bbox))
            self._animated = sorted((a for a in fig.findobj(lambda a: a.get_animated()) if a is not fig),
                                    key=lambda a: a.get_zorder())
        else:
            canvas.restore_region(self._background[1])
        for artist in self._animated:
            fig.draw_artist(artist)
        width, height = canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="png", compress_level=self.png_compress_level)
        return buffer.getvalue()

    @property
    def png(self) -> bytes:
        """The current figure as PNG bytes."""
        return self._png

    @property
    def text(self) -> str:
        """Alt text of the current state: ``'Figure: <title>. <describe()>'``."""
        description = " ".join(str(self.describe(self.result)).split())
        return f"Figure: {self.title}. {description}" if self.title else f"Figure: {description}"

    # ---- widgets -------------------------------------------------------------------------------
    @property
    def widget(self):
        """The live view (created on first access): controls, the figure image and its alt text."""
        if self._widget is None:
            self._widget = self._build_widget()
        return self._widget

    def _build_widget(self):
        import ipywidgets as w

        width = max((len(c.description()) for c in self.controls.values()), default=0)
        # Wide enough for the longest label with its unit (a cut-off unit misleads), up to 44 characters.
        style = {"description_width": f"{min(width, 44) * 0.52 + 1:.1f}em"}
        layout = w.Layout(width="100%", max_width="50em")
        for name, control in self.controls.items():
            widget = control.make_widget(self.values[name], style, layout)
            widget.observe(lambda change, name=name: self._on_widget_change(name, change["new"]),
                           names="value")
            self._control_widgets[name] = widget
        # At its own pixel size (Voilà would otherwise stretch it to the page), shrinking on narrow screens.
        width = round(self.figure.get_figwidth() * self.figure.dpi)
        self._image = w.Image(value=self._png, format="png", layout=w.Layout(width=f"{width}px", max_width="100%"))
        self._caption = w.HTML(value=self._caption_html(self.text))
        return w.VBox([*self._control_widgets.values(), self._image, self._caption])

    @staticmethod
    def _caption_html(text: str, error: bool = False) -> str:
        colour = ' style="color:#D55E00"' if error else ""
        return f'<p class="energylab-alt"{colour}>{html.escape(text)}</p>'

    def _push(self, changed: dict) -> None:
        """Show the current state in the widgets (after :meth:`set`)."""
        self._syncing = True
        try:
            for name in changed:
                self._control_widgets[name].value = self.values[name]
        finally:
            self._syncing = False
        self._image.value = self._png
        self._caption.value = self._caption_html(self.text)

    def _on_widget_change(self, name: str, value) -> None:
        """Callback of a control widget. Never raises: errors are shown under the figure."""
        if self._syncing:
            return
        try:
            self.set(**{name: value})
        except Exception as exc:  # a traceback in the middle of a lesson helps nobody
            self.last_error = exc
            message = " ".join(f"{type(exc).__name__}: {exc}".split())
            if len(message) > 160:
                message = message[:157] + "..."
            self._caption.value = self._caption_html(
                f"Could not redraw for {self.controls[name].label} = {value!r} ({message}). "
                f"The figure still shows the last setting that worked.", error=True)

    # ---- display -------------------------------------------------------------------------------
    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        """The live widget plus a static PNG and text for frontends without widgets.

        JupyterLab (with ipywidgets' manager) ranks ``application/vnd.jupyter.widget-view+json``
        at -10, ahead of ``image/png`` (90) and ``text/plain`` (120), so it shows the live view;
        nbconvert drops the widget view when no widget state was saved and shows the PNG;
        nbval skips both the widget view and images and compares only the deterministic text.
        """
        data = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        data["image/png"] = base64.b64encode(self._png).decode("ascii")
        data["text/plain"] = self.text
        return data, {"image/png": {"alt": self.text}}

    def show(self):
        """Display the explorer (in IPython); outside IPython return it."""
        ipython = sys.modules.get("IPython")
        if ipython is None or ipython.get_ipython() is None:
            return self
        from IPython.display import display
        display(self)
        return None

    def __repr__(self) -> str:
        values = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"{type(self).__name__}({values})"


class ExampleExplorer(Explorer):
    """Template and test subject: the energy of a GPU job as power, GPU count and cooling vary.

    The curve and the label are ``animated`` (redrawn alone); the y-axis is rescaled only when the
    curve leaves it or shrinks below a quarter of it, which triggers a full redraw.
    """

    title = "Energy of a GPU job"
    controls = {
        "power": Slider("Power per GPU", 0.1, 1.0, 0.05, 0.7, unit="kW", fmt="{:.2f}"),
        "gpus": Slider("GPUs", 1, 64, 1, 8),
        "pue": Choice("Cooling", [("Air (PUE 1.5)", 1.5), ("Liquid (PUE 1.1)", 1.1)], 1.5),
    }
    hours = np.arange(0, 49)

    def compute(self, power, gpus, pue):
        kwh = power * gpus * pue * self.hours
        return {"hours": self.hours, "kwh": kwh, "total_kwh": float(kwh[-1]),
                "power": power, "gpus": gpus, "pue": pue}

    def draw(self, fig, result):
        from ..plotting import PALETTE, axis_label
        ax = self.ax = fig.add_subplot()
        (self.line,) = ax.plot(result["hours"], result["kwh"], color=PALETTE["blue"], animated=True)
        self.label = ax.text(0.02, 0.92, "", transform=ax.transAxes, animated=True)
        ax.set(title=self.title, xlabel=axis_label("Time", "h"), ylabel=axis_label("Energy", "kWh"))
        ax.set_xlim(0, 48)
        self.update(result)

    def update(self, result):
        self.line.set_ydata(result["kwh"])
        self.label.set_text(f"{result['total_kwh']:,.0f} kWh in 48 h")
        top = self.ax.get_ylim()[1]
        if not 0.25 * top <= result["total_kwh"] <= top:
            self.ax.set_ylim(0, 1.3 * result["total_kwh"])

    def describe(self, result):
        return (f"Energy grows linearly to {result['total_kwh']:,.0f} kWh after 48 hours "
                f"with {result['gpus']} GPUs at {result['power']:.2f} kW, "
                f"{self.controls['pue'].format(result['pue'])}.")
