"""Parallel vs sequential: when spreading work over devices saves energy, and when it only saves time.

* :func:`amdahl_speedup`: Amdahl's law, 1 / (s + (1 − s) / n);
* :func:`parallel_run`: latency, throughput and energy of a job split over n devices, with idle power
  during serial phases, the cost of merging results and always-on power.
"""
from __future__ import annotations

from typing import NamedTuple

import pint

from ..units import as_fraction, as_quantity, converted

__all__ = ["amdahl_speedup", "ParallelRun", "parallel_run"]


def amdahl_speedup(n_devices, serial_fraction) -> pint.Quantity:
    """Amdahl's law: the speedup of a fixed job on n devices when a fraction s stays serial.

    speedup = 1 / (s + (1 − s) / n); it can never exceed 1 / s.

    Parameters
    ----------
    n_devices : float or array_like
        Devices sharing the parallel part, at least 1 (a plain number).
    serial_fraction : pint.Quantity or float or array_like
        Share of the single-device run time that cannot be parallelised, in [0, 1].

    Returns
    -------
    pint.Quantity
        The speedup, a plain number (dimensionless quantity).

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Fewer than 1 device, ``serial_fraction`` outside [0, 1], NaN or infinity.

    Examples
    --------
    >>> print(amdahl_speedup([1, 8, 64, 1e6], 0.05))
    [1 5.926 15.42 20]

    Notes
    -----
    Amdahl, G. M. 1967, "Validity of the single processor approach to achieving large scale
    computing capabilities", AFIPS Spring Joint Computer Conference 30:483–485 (fact
    ``amdahl_law_year``). Fixed problem size; :func:`parallel_run` adds energy, idle power and the
    cost of merging results.
    """
    n = as_quantity(n_devices, "dimensionless", "n_devices", minimum=1)
    s = as_fraction(serial_fraction, "serial_fraction", allow_zero=True)
    return converted(1 / (s + (1 - s) / n), "dimensionless")


class ParallelRun(NamedTuple):
    """Time and energy of a job spread over devices (see :func:`parallel_run`).

    Attributes
    ----------
    latency : pint.Quantity
        Wall-clock time, s.
    throughput : pint.Quantity
        Useful work (the job's FLOPs, without merging) per second of wall-clock time, FLOP/s.
    energy : pint.Quantity
        Total energy, J: busy devices, idle devices waiting during serial phases, always-on power.
    speedup : pint.Quantity
        Latency of the sequential reference (one device, everything at ``utilisation``) ÷ latency.
    energy_ratio : pint.Quantity
        Energy ÷ energy of the sequential reference (below 1: parallelism saved energy).
    idle_energy : pint.Quantity
        Part of ``energy`` spent by devices idling during serial phases, J.
    merge_energy : pint.Quantity
        Part of ``energy`` spent merging partial results (busy power only), J.
    """
    latency: pint.Quantity
    throughput: pint.Quantity
    energy: pint.Quantity
    speedup: pint.Quantity
    energy_ratio: pint.Quantity
    idle_energy: pint.Quantity
    merge_energy: pint.Quantity


def parallel_run(work_flops, n_devices, serial_fraction, device_flops, device_power, idle_power=0,
                 merge_cost_fraction=0.0, utilisation=1.0, parallel_utilisation=None, static_power=0
                 ) -> ParallelRun:
    """Latency, throughput and energy of a job split over n devices, against running it on one.

    The job has W FLOP. A share s is serial: it runs on one device while the others wait at
    ``idle_power``. The rest is split evenly over the n devices. Each extra device adds merging work
    of ``merge_cost_fraction`` × W, done serially after the parallel part (the others idle again).
    The parallel part runs at ``parallel_utilisation`` of the device's peak, the serial parts at
    ``utilisation``. ``static_power`` (hosts, network, cooling that run regardless) is drawn for the
    whole wall-clock time.

    Parameters
    ----------
    work_flops : pint.Quantity or float or array_like
        The job's computation W, greater than 0; plain numbers in **FLOP**.
    n_devices : float or array_like
        Devices, at least 1 (a plain number).
    serial_fraction : pint.Quantity or float or array_like
        Share s of the work that cannot be split, in [0, 1].
    device_flops : pint.Quantity or float or array_like
        Peak throughput of one device, greater than 0; plain numbers in **FLOP/s**.
    device_power : pint.Quantity or float or array_like
        Power of a busy device, at least 0; plain numbers in **W**.
    idle_power : pint.Quantity or float or array_like, optional
        Power of a waiting device, at least 0; plain numbers in W. Default 0 (an idealisation: real
        accelerators idle at tens of percent of their TDP).
    merge_cost_fraction : pint.Quantity or float or array_like, optional
        Extra serial work per additional device, as a fraction of W, at least 0. Default 0.
    utilisation : pint.Quantity or float or array_like, optional
        Fraction of peak reached by the serial parts and by the sequential reference, in (0, 1].
        Default 1.
    parallel_utilisation : pint.Quantity or float or array_like, optional
        Fraction of peak reached by the parallel part, in (0, 1]. Default: ``utilisation``. Higher
        when the parallel pieces can be batched (e.g. independent samples decoded together share one
        read of the weights, :func:`energy_per_token`).
    static_power : pint.Quantity or float or array_like, optional
        Power drawn for the whole run regardless of the devices' activity, at least 0; plain numbers
        in W. Default 0.

    Returns
    -------
    ParallelRun
        ``latency`` (s), ``throughput`` (FLOP/s), ``energy`` (J), ``speedup`` and ``energy_ratio``
        against one device running everything at ``utilisation``, ``idle_energy`` and
        ``merge_energy`` (J).

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Non-positive work or peak, fewer than 1 device, fractions out of range, negative powers.

    Examples
    --------
    >>> run = parallel_run(1e15, [1, 8], 0.05, 1e14, 700, idle_power=100)
    >>> print(run.speedup, run.energy_ratio)                # faster, but not cheaper
    [1 5.926] [1 1.05]
    >>> run = parallel_run(1e15, 8, 0.05, 1e14, 700, utilisation=0.1, parallel_utilisation=0.4)
    >>> print(run.energy_ratio)                             # batching the parallel part: cheaper too
    0.2875

    Notes
    -----
    Amdahl 1967 for the time (with no merging and equal utilisations, ``speedup`` equals
    :func:`amdahl_speedup`). Energy: busy power × busy device-time + idle power × idle device-time +
    static power × wall time. Consequences: with equal utilisations and no static power, spreading
    work **never saves energy** (idle devices and merging only add to it): it saves time. It saves
    energy when it raises utilisation (batching) or when always-on power is paid for less time.
    """
    w = as_quantity(work_flops, "FLOP", "work_flops", positive=True)
    n = as_quantity(n_devices, "dimensionless", "n_devices", minimum=1)
    s = as_fraction(serial_fraction, "serial_fraction", allow_zero=True)
    peak = as_quantity(device_flops, "FLOP/s", "device_flops", positive=True)
    busy = as_quantity(device_power, "W", "device_power", nonnegative=True)
    idle = as_quantity(idle_power, "W", "idle_power", nonnegative=True)
    merge = as_quantity(merge_cost_fraction, "dimensionless", "merge_cost_fraction", nonnegative=True)
    util = as_fraction(utilisation, "utilisation")
    par_util = util if parallel_utilisation is None else as_fraction(parallel_utilisation, "parallel_utilisation")
    static = as_quantity(static_power, "W", "static_power", nonnegative=True)

    serial_work = s * w
    merge_work = merge * w * (n - 1)
    t_serial = ((serial_work + merge_work) / (peak * util)).to("s")
    t_merge = (merge_work / (peak * util)).to("s")
    t_parallel = ((1 - s) * w / (n * peak * par_util)).to("s")
    latency = t_serial + t_parallel
    busy_time = t_serial + n * t_parallel
    idle_time = (n - 1) * t_serial
    energy = busy * busy_time + idle * idle_time + static * latency
    t_reference = (w / (peak * util)).to("s")
    reference = (busy + static) * t_reference
    return ParallelRun(
        latency=converted(latency, "s"), throughput=converted(w / latency, "FLOP/s"), energy=converted(energy, "J"),
        speedup=converted(t_reference / latency, "dimensionless"),
        energy_ratio=converted(energy / reference, "dimensionless"),
        idle_energy=converted(idle * idle_time, "J"), merge_energy=converted(busy * t_merge, "J"),
    )
