"""Energy per operation and per memory access (Horowitz 2014, 45 nm), and of a whole workload.

:func:`op_energy` (add, multiply, multiply-accumulate in int8, int32, fp16, fp32), :func:`memory_energy`
(caches, DRAM, HBM2) and :func:`workload_energy` (arithmetic vs each memory level). Amounts of data are read
in **bit** (``memory_energy``) or **B** (``workload_energy``'s ``bytes_moved``), operation counts as plain
numbers. "A multiply-accumulate = one multiply + one add" and "energy per access proportional to the bits
read" are course assumptions (:data:`energylab.chips.digital.COURSE_ASSUMPTIONS`).
"""
from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple
from collections.abc import Mapping

import numpy as np
import pint

from ... import sources
from ...units import Q_, as_choice, as_quantity, converted

__all__ = ["OPS", "DTYPES", "MEMORY_LEVELS", "op_energy", "memory_energy", "WorkloadEnergy", "workload_energy"]


#: Operations with an energy in Horowitz's table ("fma"/"mac" = one multiply + one add).
OPS = ("add", "mult", "fma")
#: Data types with energies in Horowitz's table. bf16, fp8 and int4 are not in it, so none are given.
DTYPES = ("int8", "int32", "fp16", "fp32")
#: Memory levels: Horowitz's 64-bit reads (45 nm), plus HBM2 (O'Connor et al. 2017).
MEMORY_LEVELS = ("cache_8kb", "cache_32kb", "cache_1mb", "dram", "hbm2")

_OP_ALIASES = {"mul": "mult", "multiply": "mult", "multiplication": "mult", "addition": "add", "mac": "fma",
               "multiply_add": "fma", "multiply_accumulate": "fma"}
_DTYPE_ALIASES = {"float32": "fp32", "float16": "fp16", "half": "fp16", "single": "fp32", "i8": "int8",
                  "i32": "int32"}
_MEMORY_ALIASES = {"8kb": "cache_8kb", "32kb": "cache_32kb", "1mb": "cache_1mb", "sram_8kb": "cache_8kb",
                   "sram_32kb": "cache_32kb", "sram_1mb": "cache_1mb", "hbm": "hbm2"}
_MEMORY_FACTS = {"cache_8kb": "horowitz_cache_8kb_read_energy", "cache_32kb": "horowitz_cache_32kb_read_energy",
                 "cache_1mb": "horowitz_cache_1mb_read_energy", "dram": "horowitz_dram_read_energy"}
#: Fact id of HBM2's energy per bit, also the off-chip energy of the roofline and an interconnect.
_HBM_FACT = "oconnor_hbm2_access_energy"


def _dtype(dtype, name: str = "dtype") -> str:
    if isinstance(dtype, str) and dtype.strip().lower() in ("bf16", "bfloat16", "fp8", "e4m3", "fp8_e4m3", "int4"):
        raise ValueError(f"{name}: Horowitz's 45 nm table has no {dtype!r} energies and the course does not "
                         f"invent them; choose one of {', '.join(map(repr, DTYPES))}.")
    return as_choice(dtype, name, DTYPES, _DTYPE_ALIASES)


def op_energy(op: str, dtype: str, *, accumulate: str | None = None) -> pint.Quantity:
    """Energy of one arithmetic operation at 45 nm (Horowitz 2014).

    Parameters
    ----------
    op : str
        ``"add"``, ``"mult"`` (or ``"mul"``), or ``"fma"`` (or ``"mac"``): a multiply-accumulate, counted as
        one multiply plus one add (a course assumption).
    dtype : str
        ``"int8"``, ``"int32"``, ``"fp16"`` or ``"fp32"``. The table has no bf16, fp8 or int4 figures, so none
        are given here.
    accumulate : str, optional
        For ``"fma"`` only: the type of the add (accumulator). Default: the same as ``dtype``. Integer
        hardware accumulates 8-bit products in 32 bits: ``op_energy("mac", "int8", accumulate="int32")``.

    Returns
    -------
    pint.Quantity
        Energy per operation, in pJ.

    Raises
    ------
    TypeError
        ``op`` or ``dtype`` is not text.
    ValueError
        Unknown operation or data type (the message lists the available ones).

    Examples
    --------
    >>> print(op_energy("mult", "int8"))
    0.2 pJ
    >>> print(op_energy("fma", "fp16"))
    1.5 pJ

    Notes
    -----
    Horowitz, "Computing's energy problem (and what we can do about it)", ISSCC 2014 (facts
    ``horowitz_<dtype>_<op>_energy``; 45 nm, ≈0.9 V). Ratios travel better than absolute values: newer
    processes spend less per operation, by an amount that varies with the operation and that the course's
    sources do not pin down, so quote these energies as 45 nm values. Within the table an INT8 multiply costs
    ≈18.5× less than an FP32 one (3.7 / 0.2), and a DRAM access hundreds of times more (:func:`memory_energy`).
    """
    kind = as_choice(op, "op", OPS, _OP_ALIASES)
    kind_dtype = _dtype(dtype)
    if kind == "fma":
        acc = kind_dtype if accumulate is None else _dtype(accumulate, "accumulate")
        return converted(op_energy("mult", kind_dtype) + op_energy("add", acc), "pJ")
    if accumulate is not None:
        raise TypeError(f"accumulate only applies to op='fma' (a multiply-accumulate), not {op!r}.")
    return converted(sources.value(f"horowitz_{kind_dtype}_{kind}_energy"), "pJ")


def memory_energy(level: str, bits=64, *, bound: str = "range") -> pint.Quantity:
    """Energy of reading ``bits`` bits from one level of the memory hierarchy.

    Parameters
    ----------
    level : str
        ``"cache_8kb"``, ``"cache_32kb"``, ``"cache_1mb"`` (on-chip SRAM), ``"dram"`` (off-chip DRAM) — all
        Horowitz 2014, 45 nm — or ``"hbm2"`` (stacked high-bandwidth memory, O'Connor et al. 2017).
    bits : pint.Quantity or float or array_like, optional
        Amount of data read, at least 0; plain numbers in **bit**; quantities in B work too
        (``1 * u.B`` for the energy per byte). Default 64 bits, the access size of Horowitz's table.
    bound : str, optional
        For ``"dram"``, which the source gives as a range (1.3–2.6 nJ): ``"range"`` (default; a pair
        low, high), ``"low"``, ``"high"`` or ``"mid"``. Other levels ignore it.

    Returns
    -------
    pint.Quantity
        Energy in pJ; for DRAM with ``bound="range"`` an array whose last axis is (low, high).

    Raises
    ------
    TypeError
        Wrong type or dimension of ``bits``; ``level`` not text.
    ValueError
        Unknown level or bound, negative bits, NaN or infinity.

    Examples
    --------
    >>> print(memory_energy("cache_8kb"))
    10 pJ
    >>> print(memory_energy("dram"))
    [1300 2600] pJ
    >>> from energylab.units import u
    >>> print(memory_energy("hbm2", 1 * u.B))
    31.76 pJ

    Notes
    -----
    Horowitz 2014 (facts ``horowitz_cache_8kb_read_energy`` … ``horowitz_dram_read_energy``; the 32 KB and
    1 MB figures are unchecked, status M) gives 64-bit reads; other sizes scale in proportion (a course
    assumption). HBM2: 3.97 pJ/bit (fact ``oconnor_hbm2_access_energy``), a 2017 figure for memory stacked
    beside the processor — 5–10× cheaper per bit than Horowitz's off-chip DRAM, still ≈70× an FP32 multiply
    per 64-bit word.
    """
    name = as_choice(level, "level", MEMORY_LEVELS, _MEMORY_ALIASES)
    which = as_choice(bound, "bound", ("range", "low", "high", "mid"))
    size = as_quantity(bits, "bit", "bits", nonnegative=True)
    if name == "hbm2":
        per_bit = sources.value(_HBM_FACT, "pJ/bit")
    else:
        per_bit = (sources.value(_MEMORY_FACTS[name]) / Q_(64, "bit")).to("pJ/bit")
    per_bit_m = np.asarray(per_bit.magnitude, dtype=float)
    if per_bit_m.ndim:                                  # a range: DRAM
        if which == "low":
            per_bit_m = per_bit_m[0]
        elif which == "high":
            per_bit_m = per_bit_m[1]
        elif which == "mid":
            per_bit_m = per_bit_m.mean()
    bits_m = np.asarray(size.magnitude, dtype=float)
    energy = np.multiply.outer(bits_m, per_bit_m) if np.ndim(per_bit_m) else bits_m * per_bit_m
    return converted(Q_(energy, "pJ"), "pJ")


class WorkloadEnergy(NamedTuple):
    """Energy of a workload from :func:`workload_energy`, in J.

    Attributes
    ----------
    total : pint.Quantity
        Arithmetic plus data movement.
    arithmetic : pint.Quantity
        All operations.
    data_movement : pint.Quantity
        All memory levels together.
    memory : Mapping[str, pint.Quantity]
        Energy per memory level, by level name.
    memory_share : pint.Quantity
        data_movement / total, dimensionless (0 when the total is 0).
    """
    total: pint.Quantity
    arithmetic: pint.Quantity
    data_movement: pint.Quantity
    memory: Mapping[str, pint.Quantity]
    memory_share: pint.Quantity


def _op_key(key) -> tuple[str, str]:
    if isinstance(key, tuple) and len(key) == 2:
        return key
    if isinstance(key, str):
        parts = key.strip().lower().replace("-", "_").split("_")
        if len(parts) == 2:
            first, second = parts
            return (second, first) if first in DTYPES or first in _DTYPE_ALIASES else (first, second)
    raise TypeError(f"ops keys must be (op, dtype) pairs such as ('mult', 'fp32') or text such as 'fp32_mult'; "
                    f"got {key!r}.")


def workload_energy(ops: Mapping | None = None, bytes_moved: Mapping | None = None, *, dram: str = "low"
                    ) -> WorkloadEnergy:
    """Energy of a workload: its operations (Horowitz per-op energies) plus the data it moves, per level.

    Parameters
    ----------
    ops : mapping, optional
        Operation → count (plain numbers or arrays, at least 0). Keys are ``(op, dtype)`` pairs such as
        ``("mult", "fp32")`` or text such as ``"fp32_mult"``, ``"int8_add"``, ``"fp16_fma"`` (see
        :func:`op_energy`).
    bytes_moved : mapping, optional
        Memory level → data read from it, at least 0; plain numbers in **B** (see :func:`memory_energy` for
        the levels).
    dram : str, optional
        Which end of Horowitz's DRAM range to use: ``"low"`` (default: the conservative choice — even at
        its cheapest, DRAM dominates), ``"high"`` or ``"mid"``.

    Returns
    -------
    WorkloadEnergy
        Total, arithmetic, data movement, per-level energies (J) and the memory share.

    Raises
    ------
    TypeError
        ``ops`` or ``bytes_moved`` not a mapping, bad keys, wrong dimension of a value.
    ValueError
        Unknown operation, type or level; negative counts or bytes; NaN or infinity.

    Examples
    --------
    >>> e = workload_energy({"fp32_mult": 1e9, "fp32_add": 1e9}, {"dram": 8e9})
    >>> print(e.arithmetic, e.data_movement)
    0.0046 J 1.3 J

    Notes
    -----
    Horowitz 2014 (45 nm) for operations and SRAM/DRAM; O'Connor et al. 2017 for HBM2. A billion
    multiply-adds that each fetch one 8-byte word from DRAM spend ≈280× more on the fetches than on the
    arithmetic: the case for keeping data close (caches, reuse, in-memory computing).
    """
    ops = {} if ops is None else ops
    bytes_moved = {} if bytes_moved is None else bytes_moved
    if not isinstance(ops, Mapping):
        raise TypeError(f"ops must be a mapping of operation to count, e.g. {{'fp32_mult': 1e9}}; "
                        f"got {type(ops).__name__}.")
    if not isinstance(bytes_moved, Mapping):
        raise TypeError(f"bytes_moved must be a mapping of memory level to bytes (B), e.g. {{'dram': 8e9}}; "
                        f"got {type(bytes_moved).__name__}.")
    bound = as_choice(dram, "dram", ("low", "high", "mid"))
    arithmetic = Q_(0.0, "J")
    for key, count in ops.items():
        op, dtype = _op_key(key)
        n = as_quantity(count, "dimensionless", f"ops[{key!r}]", nonnegative=True)
        arithmetic = arithmetic + n * op_energy(op, dtype)
    memory = {}
    for level, amount in bytes_moved.items():
        name = as_choice(level, "bytes_moved level", MEMORY_LEVELS, _MEMORY_ALIASES)
        size = as_quantity(amount, "B", f"bytes_moved[{level!r}]", nonnegative=True)
        memory[name] = converted(memory_energy(name, size, bound=bound), "J")
    data = sum(memory.values(), Q_(0.0, "J"))
    total = converted(arithmetic + data, "J")
    total_m = np.asarray(total.magnitude, dtype=float)
    data_m = np.broadcast_to(np.asarray(converted(data, "J").magnitude), total_m.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total_m > 0, data_m / np.where(total_m > 0, total_m, 1.0), 0.0)
    return WorkloadEnergy(total=total, arithmetic=converted(arithmetic, "J"), data_movement=converted(data, "J"),
                          memory=MappingProxyType(memory),
                          memory_share=converted(Q_(share, "dimensionless"), "dimensionless"))
