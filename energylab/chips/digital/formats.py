"""Number formats and quantisation: what storing a value in fewer bits does to it.

:data:`FORMATS` (fp32, bf16, fp16, fp8 E4M3, int8, int4; :class:`NumberFormat`), :func:`quantize` (round to
one of them), :func:`round_float` (any binary float layout), :func:`quantize_uniform` (the package's one
integer quantiser, per tensor or per channel, to any width) and :func:`round_int` on it,
:func:`quantization_error` and :func:`dot_product_error`. Values are plain numbers; only
:func:`quantize_uniform` also takes quantities. Saturation of floats and the per-tensor integer scale are
course assumptions (:data:`energylab.chips.digital.COURSE_ASSUMPTIONS`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

import numpy as np
import pint

from ... import sources
from ...units import Q_, as_choice, as_quantity, as_whole, is_quantity
from .energy import DTYPES, op_energy

__all__ = ["NumberFormat", "FORMATS", "round_float", "Quantized", "quantize_uniform", "round_int", "quantize",
           "quantization_error", "dot_product_error"]


@dataclass(frozen=True)
class NumberFormat:
    """A number format: its bits and, for floats, its exponent and mantissa; for integers, its range.

    Attributes
    ----------
    name : str
        ``"fp32"``, ``"bf16"``, ``"fp16"``, ``"fp8"`` (E4M3), ``"int8"`` or ``"int4"``.
    bits : int
        Storage per value.
    kind : str
        ``"float"`` or ``"int"``.
    exponent_bits, mantissa_bits : int
        For floats: exponent field and stored fraction bits (the leading 1 is implicit). 0 for integers.
    qmax : int
        For integers: the largest magnitude used by symmetric quantisation, 2^(bits−1) − 1. 0 for floats.
    max_value_fact : str or None
        Fact id of the largest finite value where it departs from the IEEE rule (FP8 E4M3).
    source : str
        Where the format is defined.
    """
    name: str
    bits: int
    kind: str
    exponent_bits: int = 0
    mantissa_bits: int = 0
    qmax: int = 0
    max_value_fact: str | None = None
    source: str = ""

    @property
    def min_exponent(self) -> int:
        """Smallest normal exponent, 1 − bias = 2 − 2^(exponent_bits − 1) (floats only)."""
        return 2 - 2 ** (self.exponent_bits - 1)

    @property
    def max_value(self) -> float:
        """Largest finite value: (2 − 2^−m)·2^bias for IEEE-style floats, the registry's value for E4M3,
        ``qmax`` for integers (in units of the scale)."""
        if self.kind == "int":
            return float(self.qmax)
        if self.max_value_fact:
            return sources.number(self.max_value_fact)
        bias = 2 ** (self.exponent_bits - 1) - 1
        return float((2 - 2.0 ** -self.mantissa_bits) * 2.0 ** bias)

    @property
    def relative_step(self) -> float:
        """Spacing of representable values relative to their size, 2^−m (machine epsilon; floats only)."""
        return 2.0 ** -self.mantissa_bits if self.kind == "float" else float("nan")

    def mult_energy(self) -> pint.Quantity | None:
        """Energy of a multiply in this format at 45 nm (Horowitz 2014), or None where the table has none."""
        return op_energy("mult", self.name) if self.name in DTYPES else None

    def add_energy(self) -> pint.Quantity | None:
        """Energy of an add in this format at 45 nm (Horowitz 2014), or None where the table has none."""
        return op_energy("add", self.name) if self.name in DTYPES else None

    def __str__(self) -> str:
        if self.kind == "int":
            return f"{self.name}: {self.bits}-bit integer, symmetric range ±{self.qmax}"
        return (f"{self.name}: {self.bits} bits = 1 sign + {self.exponent_bits} exponent + "
                f"{self.mantissa_bits} mantissa")


#: The number formats of the course, by name. Definitions: IEEE 754-2019 (fp32, fp16); bfloat16 (Google,
#: the top half of an fp32); FP8 E4M3 (Micikevicius et al. 2022, arXiv:2209.05433); symmetric integers.
FORMATS = MappingProxyType({
    "fp32": NumberFormat("fp32", 32, "float", 8, 23, source="IEEE 754-2019 binary32"),
    "bf16": NumberFormat("bf16", 16, "float", 8, 7, source="bfloat16: fp32's exponent, 7 stored mantissa bits"),
    "fp16": NumberFormat("fp16", 16, "float", 5, 10, source="IEEE 754-2019 binary16"),
    "fp8": NumberFormat("fp8", 8, "float", 4, 3, max_value_fact="fp8_e4m3_max_value",
                        source="FP8 E4M3, Micikevicius et al. 2022, Table 1"),
    "int8": NumberFormat("int8", 8, "int", qmax=127, source="symmetric 8-bit integers"),
    "int4": NumberFormat("int4", 4, "int", qmax=7, source="symmetric 4-bit integers"),
})
_FORMAT_ALIASES = {"float32": "fp32", "bfloat16": "bf16", "float16": "fp16", "half": "fp16", "e4m3": "fp8",
                   "fp8_e4m3": "fp8"}


def _format(fmt) -> NumberFormat:
    if isinstance(fmt, NumberFormat):
        return fmt
    return FORMATS[as_choice(fmt, "fmt", tuple(FORMATS), _FORMAT_ALIASES)]


def _values(x, name: str = "x") -> np.ndarray:
    """Plain numbers (the values to round) as a float array."""
    if is_quantity(x):
        if x.dimensionality:
            raise TypeError(f"{name} must be plain numbers (the values to round), not a quantity in "
                            f"{format(x.units, '~')}.")
        x = x.to("").magnitude
    q = as_quantity(x, "dimensionless", name)
    return np.asarray(q.magnitude, dtype=float)


def _round_to_float(x: np.ndarray, mantissa_bits: int, min_exponent: int, max_value: float) -> np.ndarray:
    """Round to nearest (ties to even) on the grid of a binary float format, saturating at ±max_value."""
    _, exponent = np.frexp(x)                          # x = f · 2^e with 0.5 ≤ |f| < 1, so ⌊log2|x|⌋ = e − 1
    e = np.maximum(exponent - 1, min_exponent)         # subnormals share the smallest exponent's spacing
    step = np.ldexp(1.0, e - mantissa_bits)
    return np.clip(np.round(x / step) * step, -max_value, max_value)


def round_float(x, mantissa_bits, exponent_bits=8) -> np.ndarray:
    """Round values to a binary floating-point format with the given field widths (IEEE-style).

    Parameters
    ----------
    x : float or array_like
        The values (plain numbers).
    mantissa_bits : int
        Stored fraction bits, 0–52 (fp32: 23, bf16: 7, fp16: 10, fp8 E4M3: 3).
    exponent_bits : int, optional
        Exponent bits, 2–11. Default 8 (the range of fp32 and bf16).

    Returns
    -------
    numpy.ndarray
        The rounded values (float64), round-to-nearest-even, with subnormals; values beyond the largest
        finite value (2 − 2^−m)·2^bias are clipped to it (saturation, a course assumption).

    Raises
    ------
    TypeError
        ``x`` is not numbers; field widths are not integers.
    ValueError
        Field widths out of range; NaN or infinity in ``x``.

    Examples
    --------
    >>> print(round_float([1.0, 1.1, 3.14159], mantissa_bits=3))
    [1.    1.125 3.25 ]

    Notes
    -----
    Emulated with numpy (frexp, then rounding to the spacing 2^(e−m)); matches numpy's float16 and float32
    conversions inside their ranges. Extra mantissa bits never increase the error of any value: every value
    of the coarser grid is on the finer one.
    """
    values = _values(x)
    m = as_whole(mantissa_bits, "mantissa_bits", minimum=0, maximum=52, exact=True, what="bits")
    e = as_whole(exponent_bits, "exponent_bits", minimum=2, maximum=11, exact=True, what="bits")
    bias = 2 ** (e - 1) - 1
    return _round_to_float(values, m, 1 - bias, (2 - 2.0 ** -m) * 2.0 ** bias)


class Quantized(NamedTuple):
    """Integer codes and the step they count in, from :func:`quantize_uniform`.

    Attributes
    ----------
    codes : numpy.ndarray of int64
        The integers q, the shape of the input.
    scale : float, numpy.ndarray or pint.Quantity
        The step s: one code is worth s, in the unit of the input (a quantity when the input was one, else a
        plain float, or an array that broadcasts against ``codes`` for per-channel scales).
    """
    codes: np.ndarray
    scale: float | np.ndarray | pint.Quantity

    @property
    def values(self):
        """What the codes stand for, q·s (the input rounded to its grid: "fake quantisation")."""
        return self.codes * self.scale


def quantize_uniform(x, bits, *, scale=None, axis=None, signed=True) -> Quantized:
    """Uniform quantisation of values to ``bits``-bit integers: q = clip(round(x / s)), read back as q·s.

    The one integer quantiser of the package: :func:`round_int` and the integer formats of :func:`quantize` are
    built on it. Its other uses are a network's weights (one scale per output channel) and activations (a scale
    calibrated on other data), and an ADC's output codes over a fixed range.

    Parameters
    ----------
    x : float, array_like or pint.Quantity
        The values. Plain numbers are quantised as they are; a quantity (an ADC's input voltage) keeps its
        unit, which ``scale`` then shares.
    bits : int
        Width, 2–32. Signed codes are the symmetric range −(2^(bits−1) − 1) … 2^(bits−1) − 1 (so 2 bits give
        −1, 0, 1: the most negative two's-complement code is left unused); unsigned codes are 0 … 2^bits − 1.
    scale : float, array_like or pint.Quantity, optional
        The step s, greater than 0, in the unit of ``x`` (plain numbers are read in it). Give it to quantise
        over a fixed range — an ADC of full scale V_fs has s = V_fs / (2^(bits−1) − 1) signed, V_fs /
        (2^bits − 1) unsigned — or with a scale calibrated on other data. Default: the largest magnitude
        of ``x`` maps to the largest code, s = max|x| / largest code (1 where ``x`` is all zero, or so close to
        zero that this underflows).
    axis : int or tuple of int, optional
        Only when ``scale`` is computed: the axes the largest magnitude is taken over, keeping one scale per
        slice of the *other* axes. ``axis=0`` on a weight matrix of shape (d_in, d_out) gives one scale per
        output channel (column), of shape (1, d_out). Default None: one scale for the whole tensor.
    signed : bool, optional
        Signed codes (default) or unsigned ones; unsigned codes clip negative values to 0 (a ReLU's output,
        a unipolar ADC).

    Returns
    -------
    Quantized
        ``(codes, scale)``: the int64 codes, clipped to the range of ``bits`` (values beyond it saturate at
        the largest code), and the step used; ``.values`` is q·s.

    Raises
    ------
    TypeError
        ``x`` or ``scale`` not numbers or of another dimension; ``bits`` not an integer; ``signed`` not a
        bool.
    ValueError
        ``bits`` out of range; NaN or infinity; a ``scale`` of 0 or less.

    Examples
    --------
    >>> q, s = quantize_uniform([0.5, -1.0, 0.26], 2)
    >>> q.tolist(), s
    ([0, -1, 0], 1.0)
    >>> import numpy as np
    >>> w = quantize_uniform(np.array([[1.0, -0.1], [-0.25, 0.02]]), 8, axis=0)    # one scale per column
    >>> w.codes.tolist(), w.scale.round(6).tolist()
    ([[127, -127], [-32, 25]], [[0.007874, 0.000787]])
    >>> from energylab.units import u
    >>> adc = quantize_uniform([0.2, 0.61, 1.3] * u.V, 4, scale=1.0 * u.V / 15, signed=False)   # 0–1 V, 4 bits
    >>> print(adc.codes, adc.values.to("mV"))                                    # 1.3 V saturates
    [ 3  9 15] [200 600 1000] mV

    Notes
    -----
    Round to nearest, ties to even (numpy's rounding), with one step per tensor or per channel: the scheme of
    Jacob et al. 2018 (arXiv:1712.05877) and Nagel et al. 2021 (arXiv:2106.08295), symmetric (no zero
    point). Inside the range the error of each value is at most s/2. The per-tensor scale max|x| / (2^(b−1) − 1)
    is a course assumption (``COURSE_ASSUMPTIONS["int_symmetric_scaling"]``).
    """
    if _plain_floats(x) and isinstance(bits, int) and 2 <= bits <= 32 and isinstance(signed, bool) \
            and (scale is None or (_plain_floats(scale) and np.all(scale > 0))):
        # The simulations' inner loops: float arrays in, no units; skip the validators' pint round trip.
        return _quantize_floats(x, bits, scale, axis, signed)
    unit = x.units if is_quantity(x) else "dimensionless"
    values = np.asarray(as_quantity(x, unit, "x").magnitude, dtype=float)
    b = as_whole(bits, "bits", minimum=2, maximum=32, exact=True, what="bits")
    if not isinstance(signed, (bool, np.bool_)):
        raise TypeError(f"signed must be True or False; got {type(signed).__name__} {signed!r}.")
    step = None if scale is None else as_quantity(scale, unit, "scale", positive=True).magnitude
    q = _quantize_floats(values, b, step, axis, signed)
    return Quantized(q.codes, Q_(q.scale, unit) if is_quantity(x) else q.scale)


def _plain_floats(x) -> bool:
    """A finite float number or float array (not a quantity): what the fast path of quantize_uniform takes."""
    if isinstance(x, float):
        return math.isfinite(x)
    return isinstance(x, np.ndarray) and x.dtype.kind == "f" and bool(np.all(np.isfinite(x)))


def _quantize_floats(values, bits: int, scale, axis, signed: bool) -> Quantized:
    """The quantiser's arithmetic on checked plain numbers (``scale`` None: from the largest magnitude)."""
    top = 2 ** (bits - 1) - 1 if signed else 2 ** bits - 1
    if scale is None:
        peak = np.max(np.abs(values), axis=axis, keepdims=axis is not None, initial=0.0)
        step = np.where(peak / top > 0, peak / top, 1.0)
        step = float(step) if axis is None else step
    else:
        step = scale
    return Quantized(np.clip(np.round(values / step), -top if signed else 0, top).astype(np.int64), step)


def round_int(x, bits) -> np.ndarray:
    """Quantise values to symmetric ``bits``-bit integers with one scale, and back (fake quantisation).

    Parameters
    ----------
    x : float or array_like
        The values (plain numbers).
    bits : int
        Integer width, 2–32 (8 for int8, 4 for int4).

    Returns
    -------
    numpy.ndarray
        q·s with q = round(x/s) in [−(2^(bits−1) − 1), 2^(bits−1) − 1] and s = max|x| / (2^(bits−1) − 1)
        (zeros stay zeros): :func:`quantize_uniform`'s ``.values``.

    Raises
    ------
    TypeError
        ``x`` is not numbers; ``bits`` not an integer.
    ValueError
        ``bits`` out of range; NaN or infinity in ``x``.

    Examples
    --------
    >>> print(round_int([1.0, 0.5, -0.26], 4))
    [ 1.          0.57142857 -0.28571429]

    Notes
    -----
    Per-tensor symmetric round-to-nearest, the simplest scheme (a course assumption); the error of each value
    is at most s/2.
    """
    values = _values(x)
    return quantize_uniform(values, bits).values


def quantize(x, fmt) -> np.ndarray:
    """Round values to one of the course's number formats (and back to float64).

    Parameters
    ----------
    x : float or array_like
        The values (plain numbers).
    fmt : str or NumberFormat
        ``"fp32"``, ``"bf16"``, ``"fp16"``, ``"fp8"`` (E4M3), ``"int8"`` or ``"int4"`` (see :data:`FORMATS`).

    Returns
    -------
    numpy.ndarray
        The values as the format represents them: floats by mantissa rounding (:func:`round_float`, E4M3
        saturating at 448), integers by symmetric per-tensor scaling (:func:`round_int`).

    Raises
    ------
    TypeError
        ``x`` is not numbers; ``fmt`` not text.
    ValueError
        Unknown format; NaN or infinity in ``x``.

    Examples
    --------
    >>> print(quantize([0.1, 1000.0], "fp8").tolist())
    [0.1015625, 448.0]

    Notes
    -----
    See :class:`NumberFormat` for the definitions and sources.
    """
    spec = _format(fmt)
    values = _values(x)
    if spec.kind == "int":
        return round_int(values, spec.bits)
    return _round_to_float(values, spec.mantissa_bits, spec.min_exponent, spec.max_value)


def quantization_error(x, fmt, y=None) -> float:
    """Relative error from storing values in a format: of the values themselves, or of a dot product.

    Parameters
    ----------
    x : array_like
        The values (plain numbers), at least one non-zero.
    fmt : str or NumberFormat
        A format of :data:`FORMATS`.
    y : array_like, optional
        A second vector of the same length: the error is then that of the dot product x·y with both operands
        quantised (products summed exactly, as in a wide accumulator).

    Returns
    -------
    float
        Without ``y``: ‖q(x) − x‖ / ‖x‖. With ``y``: |q(x)·q(y) − x·y| / (‖x‖·‖y‖) — relative to the size of the
        operands, so it does not blow up when x·y happens to be near 0.

    Raises
    ------
    TypeError
        ``x`` or ``y`` not numbers; ``fmt`` not text.
    ValueError
        Unknown format, all-zero input, shapes that differ, NaN or infinity.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).standard_normal(1000)
    >>> print(f"{quantization_error(x, 'int8'):.4f}  {quantization_error(x, 'int4'):.3f}")
    0.0091  0.167

    Notes
    -----
    Fewer bits per value means less memory traffic and cheaper arithmetic (:func:`op_energy`: INT8 multiply
    0.2 pJ vs FP32 3.7 pJ at 45 nm) at the price of this error.
    """
    spec = _format(fmt)
    a = _values(x)
    if y is None:
        norm = float(np.linalg.norm(a))
        if norm == 0:
            raise ValueError("x must contain at least one non-zero value (plain numbers).")
        return float(np.linalg.norm(quantize(a, spec) - a) / norm)
    b = _values(y, "y")
    if a.shape != b.shape:
        raise ValueError(f"x and y must have the same shape; got {a.shape} and {b.shape}.")
    scale = float(np.linalg.norm(a) * np.linalg.norm(b))
    if scale == 0:
        raise ValueError("x and y must each contain at least one non-zero value (plain numbers).")
    exact = float(np.dot(a.ravel(), b.ravel()))
    approx = float(np.dot(quantize(a, spec).ravel(), quantize(b, spec).ravel()))
    return abs(approx - exact) / scale


def dot_product_error(fmt, n: int = 4096, seed: int = 0) -> float:
    """Error of a dot product of two seeded standard-normal vectors stored in a format.

    Parameters
    ----------
    fmt : str or NumberFormat
        A format of :data:`FORMATS`.
    n : int, optional
        Vector length, at least 1. Default 4,096 (a typical hidden size).
    seed : int, optional
        Seed of numpy's default generator. Default 0.

    Returns
    -------
    float
        :func:`quantization_error` with ``y``.

    Raises
    ------
    TypeError
        ``n`` or ``seed`` not whole numbers.
    ValueError
        Unknown format; ``n`` below 1.

    Examples
    --------
    >>> print(f"{dot_product_error('fp32'):.1e}")
    2.5e-11

    Notes
    -----
    Deterministic for a given seed, so a notebook's output is reproducible.
    """
    size = as_whole(n, "n", minimum=1, maximum=10 ** 8, exact=True)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be a whole number; got {seed!r}.")
    rng = np.random.default_rng(int(seed))
    x, y = rng.standard_normal(size), rng.standard_normal(size)
    return quantization_error(x, fmt, y)
