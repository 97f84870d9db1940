"""The roofline model (Williams, Waterman, Patterson 2009): how fast a kernel can run, and what it costs.

:func:`attainable_flops` (min of the compute and memory roofs), :func:`kernel_time` (the one roofline timing of
the package: max of compute time and memory time), :func:`ridge_point`, the intensity of matrix products
(:func:`matmul_intensity`, :func:`matvec_intensity`) and :func:`roofline`, a kernel placed on a named
accelerator of :mod:`energylab.chips.accelerators` with its time and energy. Intensities are read in
FLOP/B, peaks in FLOP/s and bandwidths in **B/s** (bytes, not bits).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pint

from ... import sources
from ...units import Q_, as_fraction, as_quantity, converted
from .. import accelerators as _accelerators
from .energy import _HBM_FACT

__all__ = ["attainable_flops", "KernelTime", "kernel_time", "ridge_point", "matmul_flops", "matmul_intensity",
           "matvec_intensity", "RooflinePoint", "roofline"]


def attainable_flops(intensity, peak, bandwidth) -> pint.Quantity:
    """The roofline: attainable throughput = min(peak, bandwidth × operational intensity).

    Parameters
    ----------
    intensity : pint.Quantity or float or array_like
        Operational intensity of the kernel (FLOPs per byte moved from memory), at least 0; plain numbers in
        FLOP/B.
    peak : pint.Quantity or float or array_like
        Peak arithmetic throughput, greater than 0; plain numbers in FLOP/s (``989.4 * u.TFLOP / u.s``).
    bandwidth : pint.Quantity or float or array_like
        Memory bandwidth, greater than 0; plain numbers in **B/s** (``3.35 * u.TB / u.s``).

    Returns
    -------
    pint.Quantity
        Attainable throughput, in TFLOP/s.

    Raises
    ------
    TypeError
        Wrong type or dimension (e.g. a bandwidth in FLOP/s).
    ValueError
        Negative intensity, non-positive peak or bandwidth, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(attainable_flops(10, 989.4 * u.TFLOP / u.s, 3.35 * u.TB / u.s))   # memory-bound
    33.5 TFLOP / s

    Notes
    -----
    Williams, Waterman, Patterson 2009, "Roofline: an insightful visual performance model for multicore
    architectures", CACM 52(4):65–76 (fact sheet row C13). Below the ridge point (:func:`ridge_point`) the
    memory cannot feed the arithmetic; above it the arithmetic is the limit.
    """
    i = as_quantity(intensity, "FLOP/B", "intensity", nonnegative=True)
    p = as_quantity(peak, "FLOP/s", "peak", positive=True)
    bw = as_quantity(bandwidth, "B/s", "bandwidth", positive=True)
    memory_roof = converted(bw * i, "TFLOP/s").magnitude
    return converted(Q_(np.minimum(converted(p, "TFLOP/s").magnitude, memory_roof), "TFLOP/s"), "TFLOP/s")


class KernelTime(NamedTuple):
    """Time of a kernel on the roofline: the slower of computing and moving its data."""
    compute_time: pint.Quantity
    memory_time: pint.Quantity
    time: pint.Quantity
    bound: str | np.ndarray


def kernel_time(flops, bytes_moved, peak, bandwidth) -> KernelTime:
    """How long a kernel takes on the roofline: max(FLOPs ÷ peak, bytes ÷ bandwidth).

    The same model as :func:`attainable_flops` seen from the time side: a kernel of operational
    intensity I = FLOPs ÷ bytes runs at min(peak, bandwidth × I), so its time is the larger of its
    compute time and its memory time. Every roofline in the package (this module's :func:`roofline`,
    :func:`energylab.inference.decode_step`) goes through this function.

    Parameters
    ----------
    flops : pint.Quantity or float or array_like
        Work, at least 0; plain numbers in FLOP.
    bytes_moved : pint.Quantity or float or array_like
        Data read from or written to memory, at least 0; plain numbers in B.
    peak : pint.Quantity or float or array_like
        Arithmetic throughput reachable, greater than 0; plain numbers in FLOP/s.
    bandwidth : pint.Quantity or float or array_like
        Memory bandwidth reachable, greater than 0; plain numbers in B/s.

    Returns
    -------
    KernelTime
        ``compute_time``, ``memory_time`` and ``time`` in s; ``bound`` is ``"compute"`` where the
        compute time is the longer, else ``"memory"`` (a tie counts as memory-bound).

    Examples
    --------
    >>> from energylab.units import u
    >>> t = kernel_time(1e12, 1e12, 989.4 * u.TFLOP / u.s, 3.35 * u.TB / u.s)
    >>> print(t.bound, t.time.to("ms"))
    memory 298.5 ms

    Notes
    -----
    Williams, Waterman, Patterson 2009, "Roofline: an insightful visual performance model for multicore
    architectures", CACM 52(4):65–76.
    """
    work = as_quantity(flops, "FLOP", "flops", nonnegative=True)
    moved = as_quantity(bytes_moved, "B", "bytes_moved", nonnegative=True)
    p = as_quantity(peak, "FLOP/s", "peak", positive=True)
    bw = as_quantity(bandwidth, "B/s", "bandwidth", positive=True)
    compute = converted(work / p, "s")
    memory = converted(moved / bw, "s")
    time = converted(Q_(np.maximum(compute.magnitude, memory.magnitude), "s"), "s")
    bound = np.where(compute.magnitude > memory.magnitude, "compute", "memory")
    return KernelTime(compute, memory, time, str(bound) if bound.ndim == 0 else bound)


def ridge_point(accelerator=None, precision: str = "bf16", *, peak=None, bandwidth=None) -> pint.Quantity:
    """The ridge point peak ÷ bandwidth: the intensity above which a kernel is compute-bound.

    Parameters
    ----------
    accelerator : str or Accelerator, optional
        A name accepted by :func:`energylab.chips.accelerators.accelerator` (``"H100"``, ``"A100"`` …).
    precision : str, optional
        Which peak of the accelerator, default ``"bf16"``.
    peak, bandwidth : pint.Quantity or float or array_like, optional
        Keyword-only alternative to ``accelerator``: raw figures, greater than 0; plain numbers in FLOP/s and
        B/s.

    Returns
    -------
    pint.Quantity
        Operational intensity in FLOP/B.

    Raises
    ------
    TypeError
        Both or neither of ``accelerator`` and (``peak``, ``bandwidth``); wrong dimension.
    ValueError
        Unknown accelerator or precision; non-positive figures.

    Examples
    --------
    >>> print(ridge_point("H100"))
    295.3 FLOP / B
    >>> print(ridge_point(peak=312e12, bandwidth=2.039e12))
    153 FLOP / B

    Notes
    -----
    Williams et al. 2009. Datasheet figures give H100 SXM ≈295 and A100 80 GB ≈153 FLOP/B (facts
    ``h100_sxm_ridge_point``, ``a100_80gb_ridge_point``, C17).
    """
    raw = peak is not None or bandwidth is not None
    if accelerator is not None and raw:
        raise TypeError("give either accelerator (a name such as 'H100') or peak and bandwidth, not both.")
    if accelerator is not None:
        device = _accelerators.accelerator(accelerator)
        return converted(device.peak(precision) / device.bandwidth(), "FLOP/B")
    if peak is None or bandwidth is None:
        raise TypeError("give an accelerator (a name such as 'H100'), or both peak (FLOP/s) and bandwidth (B/s).")
    p = as_quantity(peak, "FLOP/s", "peak", positive=True)
    bw = as_quantity(bandwidth, "B/s", "bandwidth", positive=True)
    return converted(p / bw, "FLOP/B")


def matmul_flops(m, n, k) -> pint.Quantity:
    """Arithmetic of a matrix multiply C[m×n] = A[m×k]·B[k×n]: 2·m·n·k FLOPs (a multiply and an add per term).

    Parameters
    ----------
    m, n, k : float or array_like
        Matrix dimensions, greater than 0 (plain numbers).

    Returns
    -------
    pint.Quantity
        FLOPs.

    Examples
    --------
    >>> print(matmul_flops(8192, 64, 8192))
    8.59e+09 FLOP
    """
    mm = as_quantity(m, "dimensionless", "m", positive=True)
    nn = as_quantity(n, "dimensionless", "n", positive=True)
    kk = as_quantity(k, "dimensionless", "k", positive=True)
    return converted(2 * mm * nn * kk * Q_(1, "FLOP"), "FLOP")


def matmul_intensity(m, n, k, bytes_per_element=2) -> pint.Quantity:
    """Operational intensity of a matrix multiply C[m×n] = A[m×k]·B[k×n] with each matrix moved once.

    I = 2·m·n·k / (bytes × (m·k + k·n + m·n)).

    Parameters
    ----------
    m, n, k : float or array_like
        Matrix dimensions, greater than 0 (plain numbers).
    bytes_per_element : pint.Quantity or float or array_like, optional
        Storage per element, greater than 0; plain numbers in B. Default 2 (bf16/fp16).

    Returns
    -------
    pint.Quantity
        Intensity in FLOP/B.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Non-positive sizes, NaN or infinity.

    Examples
    --------
    >>> print(matmul_intensity(4096, 4096, 4096))
    1365 FLOP / B

    Notes
    -----
    2·m·n·k FLOPs (a multiply and an add per term); the byte count is the ideal of perfect on-chip reuse
    (read A and B, write C once). Square n×n matrices give I = 2n / (3 × bytes_per_element): large
    multiplies are compute-bound on any GPU (ridge ≈150–300 FLOP/B).
    """
    mm = as_quantity(m, "dimensionless", "m", positive=True)
    nn = as_quantity(n, "dimensionless", "n", positive=True)
    kk = as_quantity(k, "dimensionless", "k", positive=True)
    b = as_quantity(bytes_per_element, "B", "bytes_per_element", positive=True)
    flops = matmul_flops(mm, nn, kk)
    data = b * (mm * kk + kk * nn + mm * nn)
    return converted(flops / data, "FLOP/B")


def matvec_intensity(m, n, bytes_per_element=2) -> pint.Quantity:
    """Operational intensity of a matrix–vector product y[m] = A[m×n]·x[n]: 2·m·n / (bytes × (m·n + n + m)).

    Parameters
    ----------
    m, n : float or array_like
        Matrix dimensions, greater than 0 (plain numbers).
    bytes_per_element : pint.Quantity or float or array_like, optional
        Storage per element, greater than 0; plain numbers in B. Default 2 (bf16/fp16).

    Returns
    -------
    pint.Quantity
        Intensity in FLOP/B: at most 2 / bytes_per_element, whatever the size.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Non-positive sizes, NaN or infinity.

    Examples
    --------
    >>> print(matvec_intensity(4096, 4096))
    0.9995 FLOP / B

    Notes
    -----
    Every weight is used once: this is token-by-token decoding at batch size 1, deep in the memory-bound
    region of every accelerator (compare :func:`ridge_point`).
    """
    mm = as_quantity(m, "dimensionless", "m", positive=True)
    nn = as_quantity(n, "dimensionless", "n", positive=True)
    b = as_quantity(bytes_per_element, "B", "bytes_per_element", positive=True)
    flops = 2 * mm * nn * Q_(1, "FLOP")
    data = b * (mm * nn + nn + mm)
    return converted(flops / data, "FLOP/B")


class RooflinePoint(NamedTuple):
    """A kernel on an accelerator's roofline, from :func:`roofline`.

    Attributes
    ----------
    intensity : pint.Quantity
        The kernel's operational intensity, FLOP/B.
    attainable : pint.Quantity
        Attainable throughput, TFLOP/s.
    peak, bandwidth, ridge : pint.Quantity
        The accelerator's peak (TFLOP/s), memory bandwidth (TB/s) and ridge point (FLOP/B).
    bound : str or numpy.ndarray
        ``"memory"`` below the ridge, ``"compute"`` at or above it.
    utilisation : pint.Quantity
        attainable / peak, dimensionless.
    flops, bytes : pint.Quantity
        Work done (FLOP) and data moved from memory (B = FLOP / intensity).
    time : pint.Quantity
        flops / attainable, in s.
    energy : pint.Quantity
        power × power_fraction × time, in J.
    energy_memory : pint.Quantity
        bytes × HBM2 energy per byte (O'Connor et al. 2017), at most ``energy``, in J: the off-chip
        data movement.
    energy_compute_and_other : pint.Quantity
        energy − energy_memory, in J: arithmetic, on-chip data movement, control and static power.
    """
    intensity: pint.Quantity
    attainable: pint.Quantity
    peak: pint.Quantity
    bandwidth: pint.Quantity
    ridge: pint.Quantity
    bound: object
    utilisation: pint.Quantity
    flops: pint.Quantity
    bytes: pint.Quantity
    time: pint.Quantity
    energy: pint.Quantity
    energy_memory: pint.Quantity
    energy_compute_and_other: pint.Quantity


def roofline(kernel_intensity, accelerator, precision: str = "bf16", flops=1e12, power_fraction=1.0
             ) -> RooflinePoint:
    """Place a kernel on an accelerator's roofline: speed, bound, time and energy for a given amount of work.

    Parameters
    ----------
    kernel_intensity : pint.Quantity or float or array_like
        Operational intensity, greater than 0; plain numbers in FLOP/B (see :func:`matmul_intensity`).
    accelerator : str or Accelerator
        A name accepted by :func:`energylab.chips.accelerators.accelerator` (``"H100"``, ``"A100"`` …).
    precision : str, optional
        Which peak, default ``"bf16"``.
    flops : pint.Quantity or float or array_like, optional
        Work to do, at least 0; plain numbers in FLOP. Default 1e12 (one teraFLOP).
    power_fraction : pint.Quantity or float, optional
        Share of the accelerator's rated power (TDP) drawn while the kernel runs, in (0, 1]. Default 1.0
        (an upper bound; a course assumption).

    Returns
    -------
    RooflinePoint
        Intensity, attainable and peak throughput, bandwidth, ridge, bound, utilisation, FLOPs, bytes, time,
        and the energy split into off-chip memory traffic vs everything else.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Unknown accelerator or precision, non-positive intensity, power_fraction outside (0, 1], NaN or
        infinity.

    Examples
    --------
    >>> r = roofline(1.0, "H100", flops=1e12)          # decoding at batch 1: memory-bound
    >>> print(r.bound, r.time.to("ms"), r.energy)
    memory 298.5 ms 209 J
    >>> print(roofline(1365, "H100").bound)
    compute

    Notes
    -----
    Throughput from :func:`attainable_flops` and time from :func:`kernel_time`, with datasheet peak and
    bandwidth (facts of :func:`energylab.chips.accelerators.accelerator`). **Energy basis:** the rated power
    (TDP) × ``power_fraction`` × time, so a memory-bound kernel pays for an idle arithmetic unit; the off-chip
    share is the bytes moved × 3.97 pJ/bit (HBM2, fact ``oconnor_hbm2_access_energy``; no HBM3 figure is
    published), capped at the total. Both are course assumptions
    (:data:`energylab.chips.digital.COURSE_ASSUMPTIONS`). At the compute peak the H100's 700 W ÷ 989 TFLOP/s
    is ≈0.71 pJ/FLOP, a best case from peak specs (fact sheet caveat): real kernels run
    below the roof.
    """
    device = _accelerators.accelerator(accelerator)
    ridge = ridge_point(device, precision)
    peak = device.peak(precision)
    bandwidth = device.bandwidth()
    power = device.rated_power()
    intensity = as_quantity(kernel_intensity, "FLOP/B", "kernel_intensity", positive=True)
    work = as_quantity(flops, "FLOP", "flops", nonnegative=True)
    fraction = as_fraction(power_fraction, "power_fraction", example=0.7,
                           hint="It is the share of the accelerator's rated power drawn while the kernel runs.")
    attainable = attainable_flops(intensity, peak, bandwidth)
    moved = converted(work / intensity, "B")
    time = kernel_time(work, moved, peak, bandwidth).time
    # At the ridge both roofs meet; a kernel that reaches the peak there is drawn as compute-bound, whereas
    # kernel_time (which compares two times) calls the tie memory-bound.
    bound = np.where(intensity.magnitude >= ridge.magnitude, "compute", "memory")
    bound = str(bound) if bound.ndim == 0 else bound
    energy = converted(power * fraction * time, "J")
    hbm = converted(moved * sources.value(_HBM_FACT), "J")
    hbm = converted(Q_(np.minimum(hbm.magnitude, energy.magnitude), "J"), "J")
    return RooflinePoint(
        intensity=intensity, attainable=attainable, peak=converted(peak, "TFLOP/s"),
        bandwidth=converted(bandwidth, "TB/s"), ridge=ridge, bound=bound,
        utilisation=converted(attainable / peak, "dimensionless"), flops=converted(work, "FLOP"), bytes=moved,
        time=time, energy=energy, energy_memory=hbm, energy_compute_and_other=converted(energy - hbm, "J"))
