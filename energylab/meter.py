"""Measure the energy of code a student runs, saying each time *how* it was measured and how well.

Three methods, tried in this order by ``method="auto"`` (each can also be asked for by name):

1. ``"rapl"`` — the CPU's own energy counters (Intel RAPL, also AMD Zen through the same Linux powercap
   interface, ``/sys/class/powercap/intel-rapl:N/energy_uj``). Measured, but for the whole CPU package:
   other processes count too. Linux made them readable by root only in 2020 (CVE-2020-8694, "Platypus").
2. ``"nvml"`` — an NVIDIA GPU's total-energy counter, through the optional ``pynvml`` package.
3. ``"cpu-time"`` — an estimate, not a measurement: this process's CPU time × a power per busy core
   (:data:`METER_ASSUMPTIONS`), with a range as wide as that assumption is uncertain.

::

    >>> from energylab import meter
    >>> with meter.measure() as m:
    ...     total = sum(range(1_000_000))
    >>> print(m.reading)                                    # doctest: +SKIP
    ≈ 0.6 J (0.3–1.2 J) [cpu-time]: estimated from 0.06 s of CPU time × 10 W per core (course assumption ...

In a notebook, ``%load_ext energylab.meter`` (or :func:`register_magic`) adds the ``%%energy`` cell magic.

Importing this module reads no file and imports neither pint nor IPython; both load on first use.
"""
from __future__ import annotations

import argparse
import re
import shlex
import time
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

__all__ = ["METHODS", "METER_ASSUMPTIONS", "EnergyReading", "Meter", "measure", "measure_call",
           "available_methods", "load_ipython_extension", "register_magic"]

#: The measuring methods, in the order ``method="auto"`` tries them.
METHODS = ("rapl", "nvml", "cpu-time")

#: Assumptions of this course (not sourced): ``{name: (value, low, high, reason)}``.
METER_ASSUMPTIONS = MappingProxyType({
    "watts_per_core": (10.0, 5.0, 20.0,
                       "W drawn per busy CPU core: a server CPU's TDP (about 200–350 W) spread over its 16–64 cores "
                       "gives 5–20 W per core; 10 W is a round middle. Laptop cores draw less (a 15–45 W chip over "
                       "4–16 cores), so there the estimate is high. Memory, disks, GPU and idle power are not in it."),
    "counter_error": (0.0, -0.05, 0.05,
                      "relative error of a RAPL or NVML reading: both are the chip's own model or sensor, not a "
                      "wall meter (compared with one by Khan et al. 2018, ACM TOMPECS 3(2), doi:10.1145/3177754); "
                      "±5 % is the course's round figure, not a published bound."),
})

_POWERCAP_ROOT = "/sys/class/powercap"
# Top-level zones only: "intel-rapl:0:1" (core, uncore, dram) lies inside its package, and
# "intel-rapl-mmio:0" is a second view of the same package; both would count energy twice.
_PACKAGE_ZONE = re.compile(r"^(intel|amd)-rapl:\d+$")
_UJ, _MJ = 1e-6, 1e-3  # J per counter unit (RAPL's energy_uj, NVML's mJ)


class _Unavailable(Exception):
    """A method cannot measure on this machine; the message says why."""


@dataclass(frozen=True)
class EnergyReading:
    """What a measurement found, with its uncertainty and the method behind it.

    Attributes
    ----------
    energy, low, high : pint.Quantity
        Central value and range, in J. Counters: ± :data:`METER_ASSUMPTIONS` ``counter_error`` and the
        counter resolution; the estimate: CPU time × the low and high power per core.
    wall_time, cpu_time : pint.Quantity
        Elapsed time and this process's CPU time (user + system, all threads), in s.
    method : str
        One of :data:`METHODS`.
    source : str
        How the number was obtained, in words (the second half of :meth:`text`).
    note : str
        What was measured and what was not.
    skipped : tuple of (str, str)
        Methods tried first and why they could not measure (``method="auto"``).
    """
    energy: object
    low: object
    high: object
    wall_time: object
    cpu_time: object
    method: str
    source: str
    note: str
    skipped: tuple = ()

    def text(self, detail: bool = False) -> str:
        """One line naming the value, its range and the method; with ``detail``, the note and skipped methods."""
        from .formatting import fmt
        joules = self.energy.to("J").magnitude
        unit = next((un for un, size in (("GJ", 1e9), ("MJ", 1e6), ("kJ", 1e3)) if joules >= size), "J")
        low = fmt(self.low.to(unit).magnitude)
        spread = "no range given" if self.low == self.high else f"{low}–{fmt(self.high, unit)}"
        line = f"≈ {fmt(self.energy, unit)} ({spread}) [{self.method}]: {self.source}"
        if detail:
            line += f"\n  {self.note}" + "".join(f"\n  {m} not used: {why}" for m, why in self.skipped)
        return line

    __str__ = text

    def _repr_pretty_(self, p, cycle):
        p.text(self.text(detail=True))

    def cost(self, price):
        """Cost of the energy read: :func:`energylab.accounting.cost` of :attr:`energy`.

        Parameters
        ----------
        price : pint.Quantity or float
            Electricity price, at least 0; plain numbers in **USD/kWh**.

        Returns
        -------
        pint.Quantity
            Cost in USD (of the central value; ``low``/``high`` give the range the same way).
        """
        from .accounting import cost
        return cost(self.energy, price)

    def emissions(self, intensity):
        """CO₂-equivalent emissions of the energy read: :func:`energylab.accounting.emissions`.

        Parameters
        ----------
        intensity : pint.Quantity or float
            Carbon intensity of the electricity, at least 0; plain numbers in **gCO2e/kWh**.

        Returns
        -------
        pint.Quantity
            Emissions in kgCO2e (of the central value).
        """
        from .accounting import emissions
        return emissions(self.energy, intensity)


# --- the three methods: start() returns a state, stop(state) returns (joules, resolution J, source, note)

def _read_int(path: Path) -> int:
    try:
        return int(path.read_text().strip())
    except OSError as error:
        raise _Unavailable(f"RAPL counters not readable: {path}: {error.strerror or error}") from None
    except ValueError:
        raise _Unavailable(f"RAPL counters not readable: {path}: not a whole number") from None


def _rapl_start(meter: Meter):
    root = Path(meter.powercap_root)
    if not root.is_dir():
        raise _Unavailable(f"RAPL counters not found: {root} does not exist (not Linux, or no RAPL on this machine)")
    packages = []
    for zone in sorted(p for p in root.iterdir() if _PACKAGE_ZONE.match(p.name)):
        try:
            name = (zone / "name").read_text().strip()
        except OSError as error:
            raise _Unavailable(f"RAPL counters not readable: {zone / 'name'}: {error.strerror or error}") from None
        if name.startswith("package"):  # not "psys", the whole platform, which contains the packages
            packages.append(zone)
    if not packages:
        raise _Unavailable(f"RAPL counters not found: no package zone (intel-rapl:N named package-N) under {root}")
    ranges = [_read_int(z / "max_energy_range_uj") for z in packages]
    return packages, ranges, [_read_int(z / "energy_uj") for z in packages]


def _rapl_stop(state, wall: float):
    packages, ranges, starts = state
    total = 0
    for zone, limit, start in zip(packages, ranges, starts):
        end = _read_int(zone / "energy_uj")
        # The counter restarts from 0 after max_energy_range_uj; a run is assumed to span one wrap at most
        # (tens of minutes to hours on a busy package).
        total += end - start if end >= start else end + limit - start
    n = len(packages)
    source = f"measured by the RAPL counters of {n} CPU package{'s' * (n > 1)} over {wall:.3g} s"
    note = ("RAPL counts the whole CPU package (cores, caches, on-chip memory controller), for every process on "
            "the machine, not this one alone; memory (DRAM), GPU, disks, fans and power-supply losses are not in it.")
    return total * _UJ, 2 * n * _UJ, source, note


def _nvml_start(meter: Meter):
    nvml = meter.nvml
    if nvml is None:
        try:
            import pynvml as nvml  # optional: nvidia-ml-py; imported only when a GPU is asked about
        except ImportError:
            raise _Unavailable("NVML not available: the pynvml package is not installed (nvidia-ml-py)") from None
    try:
        nvml.nvmlInit()
    except Exception as error:  # pynvml raises its own NVMLError subclasses (no driver, no library)
        raise _Unavailable(f"NVML not available: {error}") from None
    try:
        handles = [nvml.nvmlDeviceGetHandleByIndex(i) for i in range(nvml.nvmlDeviceGetCount())]
        if not handles:
            raise _Unavailable("NVML not available: no NVIDIA GPU found")
        return nvml, handles, [nvml.nvmlDeviceGetTotalEnergyConsumption(h) for h in handles]
    except _Unavailable:
        nvml.nvmlShutdown()
        raise
    except Exception as error:  # e.g. NVMLError_NotSupported on GPUs older than Volta
        nvml.nvmlShutdown()
        raise _Unavailable(f"NVML energy counter not readable: {error}") from None


def _nvml_stop(state, wall: float):
    nvml, handles, starts = state
    try:
        total = sum(nvml.nvmlDeviceGetTotalEnergyConsumption(h) - s for h, s in zip(handles, starts))
    finally:
        nvml.nvmlShutdown()
    n = len(handles)
    source = f"measured by the NVML energy counter{'s' * (n > 1)} of {n} NVIDIA GPU{'s' * (n > 1)} over {wall:.3g} s"
    note = ("NVML counts each whole GPU board, for every process using it; the CPU, memory and the rest of the "
            "machine are not in it.")
    return total * _MJ, 2 * n * _MJ, source, note


_STARTS = {"rapl": _rapl_start, "nvml": _nvml_start}
_STOPS = {"rapl": _rapl_stop, "nvml": _nvml_stop}


class Meter:
    """Context manager measuring the energy of its block; see :func:`measure`. The result is :attr:`reading`."""

    def __init__(self, method="auto", *, watts_per_core=None, powercap_root=None, nvml=None, clock=None):
        from .units import as_choice, as_number
        self.method = as_choice(method, "method", ("auto",) + METHODS, aliases={"cpu": "cpu-time"})
        self.assumed = watts_per_core is None
        if self.assumed:
            self.watts = METER_ASSUMPTIONS["watts_per_core"][:3]
        else:
            watts = as_number(watts_per_core, "watts_per_core", "W", positive=True)
            self.watts = (watts, watts, watts)
        self.powercap_root, self.nvml = powercap_root or _POWERCAP_ROOT, nvml
        if clock is not None and not callable(clock):
            raise TypeError(f"clock must be a function returning CPU seconds (like time.process_time); got {clock!r}.")
        self.clock = clock or time.process_time
        self.reading: EnergyReading | None = None
        self.used, self.skipped, self._state = None, [], None  # method used, [(method, why not)], its counters

    def __enter__(self) -> Meter:
        self.reading, self.skipped = None, []
        for name in METHODS if self.method == "auto" else (self.method,):
            if name == "cpu-time":
                self.used, self._state = name, None
                break
            try:
                self._state, self.used = _STARTS[name](self), name
                break
            except _Unavailable as why:
                if self.method != "auto":
                    raise ValueError(f"method={name!r} cannot measure here: {why}. Use method='auto' to fall back "
                                     f"to the next of {', '.join(METHODS)}.") from None
                self.skipped.append((name, str(why)))
        self._wall, self._cpu = time.perf_counter(), self.clock()
        return self

    def __exit__(self, *exc) -> bool:
        wall, cpu = time.perf_counter() - self._wall, self.clock() - self._cpu
        if self.used == "cpu-time":
            joules, low, high = (cpu * w for w in self.watts)
            whose = f"course assumption, {self.watts[1]:g}–{self.watts[2]:g} W" if self.assumed else "your value"
            source = f"estimated from {cpu:.3g} s of CPU time × {self.watts[0]:g} W per core ({whose}); not measured"
            note = ("The estimate counts only this process's CPU time (all its threads), at an assumed power per "
                    "core; memory, GPU, disks and the rest of the machine, idle or busy, are not in it.")
        else:
            joules, resolution, source, note = _STOPS[self.used](self._state, wall)
            _, below, above, _ = METER_ASSUMPTIONS["counter_error"]
            low, high = max(0.0, joules * (1 + below) - resolution), joules * (1 + above) + resolution
        from .units import Q_
        self.reading = EnergyReading(Q_(joules, "J"), Q_(low, "J"), Q_(high, "J"), Q_(wall, "s"), Q_(cpu, "s"),
                                     self.used, source, note, tuple(self.skipped))
        return False  # an error in the block propagates; the reading is kept


def measure(method="auto", *, watts_per_core=None, powercap_root=None, nvml=None, clock=None) -> Meter:
    """Measure the energy used while a ``with`` block runs: ``with measure() as m: ...``, then ``m.reading``.

    Parameters
    ----------
    method : {"auto", "rapl", "nvml", "cpu-time"}
        ``"auto"`` uses the first of :data:`METHODS` that works here and records why the others did not
        (:attr:`EnergyReading.skipped`); a named method that cannot measure raises ``ValueError``.
    watts_per_core : pint.Quantity or float, optional
        Power per busy core for ``"cpu-time"``, above 0; plain numbers in **W**. Default: the course
        assumption :data:`METER_ASSUMPTIONS` ``["watts_per_core"]`` (10 W, range 5–20 W). A value of your
        own is taken as exact (no range).
    powercap_root : str or Path, optional
        Where the RAPL zones are; default ``/sys/class/powercap`` (tests point it at a fake folder).
    nvml : module, optional
        A ``pynvml``-like module; default: ``import pynvml`` when the method is tried.
    clock : callable, optional
        Returns this process's CPU time in s; default :func:`time.process_time`.

    Returns
    -------
    Meter
        Its ``reading`` (:class:`EnergyReading`) is set when the block ends, even if it raised.

    Raises
    ------
    ValueError
        Unknown ``method``; a named method that cannot measure here (the message says why);
        ``watts_per_core`` not above 0.
    TypeError
        ``watts_per_core`` not a power, or ``clock`` not callable.
    """
    return Meter(method, watts_per_core=watts_per_core, powercap_root=powercap_root, nvml=nvml, clock=clock)


def measure_call(fn, *args, meter_options=None, **kwargs):
    """Call ``fn(*args, **kwargs)`` and measure it; returns ``(result, reading)``.

    ``meter_options`` (a dict) is passed to :func:`measure`, e.g. ``{"method": "cpu-time"}``. If ``fn``
    raises, the error propagates (the reading is lost; use :func:`measure` to keep it).

    Raises
    ------
    TypeError
        ``fn`` is not callable or ``meter_options`` not a dict.
    """
    if not callable(fn):
        raise TypeError(f"fn must be a function to call and measure; got {type(fn).__name__} {fn!r}.")
    if meter_options is not None and not isinstance(meter_options, dict):
        raise TypeError(f"meter_options must be a dict of measure()'s arguments; got {meter_options!r}.")
    with measure(**(meter_options or {})) as m:
        result = fn(*args, **kwargs)
    return result, m.reading


def available_methods(*, powercap_root=None, nvml=None) -> dict:
    """``{method: None if it can measure here, else the reason it cannot}``, for each of :data:`METHODS`."""
    found = {}
    meter = Meter(powercap_root=powercap_root, nvml=nvml)
    for name in METHODS[:-1]:
        try:
            state = _STARTS[name](meter)
            found[name] = None
            if name == "nvml":
                state[0].nvmlShutdown()
        except _Unavailable as why:
            found[name] = str(why)
    return {**found, "cpu-time": None}


# --- the %%energy cell magic ----------------------------------------------------------------------

def _magic_parser():
    from IPython.core.error import UsageError

    class Parser(argparse.ArgumentParser):
        def error(self, message):  # argparse would exit the kernel; IPython shows a UsageError instead
            raise UsageError(f"%%energy: {message}")

    parser = Parser(prog="%%energy", description="Run the cell and print the energy it used.", add_help=False)
    parser.add_argument("--method", default="auto", help="auto (default), rapl, nvml or cpu-time")
    return parser


def load_ipython_extension(ip) -> None:
    """Register the ``%%energy`` cell magic in the IPython shell ``ip`` (``%load_ext energylab.meter``).

    ``%%energy [--method auto|rapl|nvml|cpu-time]`` runs the cell in the notebook's namespace, prints the
    reading (:meth:`EnergyReading.text` with detail) and stores it as ``_energy`` in that namespace. A cell
    that raises still gets its reading printed, after its error, which IPython shows as usual.
    """
    def energy(line, cell):
        from IPython.core.error import UsageError
        args = _magic_parser().parse_args(shlex.split(line))
        try:  # a bad or unavailable --method: one clear line, not a traceback into this module
            m = measure(args.method).__enter__()
        except (TypeError, ValueError) as error:
            raise UsageError(f"%%energy --method: {error}") from None
        try:
            ip.run_cell(cell)  # shows the cell's output and any error itself, as IPython's %%capture does
        finally:
            m.__exit__(None, None, None)
        ip.user_ns["_energy"] = m.reading
        print(m.reading.text(detail=True))

    ip.register_magic_function(energy, magic_kind="cell", magic_name="energy")


def register_magic() -> bool:
    """Register ``%%energy`` in the running IPython, if any; True when it was registered."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    ip = get_ipython()
    if ip is None:
        return False
    load_ipython_extension(ip)
    return True
