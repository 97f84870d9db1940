"""Interconnect: the energy of moving bits over wires, links and optics, and the article's 1.6 "terabytes".

:func:`interconnects` (energy per bit from on-chip wires to optical ports, also the lazy module attribute
``INTERCONNECTS``), :func:`link_power`, :func:`energy_per_bit`, :func:`data_rate_ratio`,
:func:`article_bandwidth_check` and :func:`saving_from_reduction_factor`. Data rates are read in **B/s**
(bytes, not bits: pass ``1.6 * u.Tbit / u.s`` for a link), energies per bit in J/bit, powers in W.
"""
from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple
from collections.abc import Mapping

import pint

from ... import sources
from ...units import Q_, as_quantity, converted
from .energy import _HBM_FACT

__all__ = ["Interconnect", "interconnects", "link_power", "energy_per_bit", "data_rate_ratio", "BandwidthCheck",
           "article_bandwidth_check", "saving_from_reduction_factor"]


class Interconnect(NamedTuple):
    """One kind of link in :func:`interconnects`.

    Attributes
    ----------
    name : str
        Short key, e.g. ``"hbm2"``.
    energy_per_bit : pint.Quantity
        Energy per bit moved, in pJ/bit.
    what : str
        Plain description, with the reach of the link.
    fact_id : str
        The sources-registry fact behind the value.
    """
    name: str
    energy_per_bit: pint.Quantity
    what: str
    fact_id: str


# name -> (fact id, description, conversion to pJ/bit: None, or a length in mm for per-mm facts)
_INTERCONNECTS = {
    "on_chip_wire_10mm": ("keckler_wire_energy_256bit_10mm",
                          "on-chip wire across a large die (10 mm), 40 nm (Keckler et al. 2011)"),
    "nvlink_c2c": ("nvlink_c2c_energy_per_bit",
                   "chip-to-chip link inside a module: NVLink-C2C, Grace ↔ Hopper (NVIDIA 2022)"),
    "hbm2": (_HBM_FACT, "memory stacked beside the processor, HBM2 access (O'Connor et al. 2017)"),
    "cpo_optics": ("nvidia_cpo_energy_per_bit",
                   "co-packaged optics switch port, 9 W per 1.6 Tb/s (NVIDIA 2025, derived)"),
    "pcie5_lower_bound": ("pcie5_energy_per_bit_lower_bound",
                          "board-level SerDes link, PCIe Gen 5: at least 5× NVLink-C2C (NVIDIA 2022, derived)"),
    "gddr5": ("oconnor_gddr5_access_energy", "graphics DRAM on the board, GDDR5 access (O'Connor et al. 2017)"),
    "pluggable_optics": ("nvidia_pluggable_energy_per_bit",
                         "pluggable optical transceiver port, 30 W per 1.6 Tb/s (NVIDIA 2025, derived)"),
}


def interconnects() -> Mapping[str, Interconnect]:
    """Energy per bit of links from on-chip wires to optical ports, only from citable sources.

    Returns
    -------
    Mapping[str, Interconnect]
        By name, cheapest first: ``"on_chip_wire_10mm"`` (≈1.2 pJ/bit), ``"nvlink_c2c"`` (1.3), ``"hbm2"``
        (3.97), ``"cpo_optics"`` (≈5.6), ``"pcie5_lower_bound"`` (≥6.5), ``"gddr5"`` (≈14),
        ``"pluggable_optics"`` (≈18.8). Also available as the module attribute ``INTERCONNECTS``.

    Examples
    --------
    >>> print(interconnects()["hbm2"].energy_per_bit)
    3.97 pJ / bit

    Notes
    -----
    Keckler et al. 2011 (on-chip wires, 310 pJ for 256 bits over 10 mm at 40 nm); NVIDIA 2022 (NVLink-C2C
    1.3 pJ/bit, ">5×" better than PCIe Gen 5); O'Connor et al. 2017 (HBM2, GDDR5); NVIDIA 2025 (≈30 W →
    ≈9 W per 1.6 Tb/s port, so pJ/bit by division, status D). IBM's co-packaged optics (Dec 2024) publishes
    only a ratio (">5× lower power" than electrical, fact ``ibm_cpo_power_reduction_factor``), no pJ/bit,
    so it is not in the table: see :func:`saving_from_reduction_factor`. Values span different years and
    processes; compare orders of magnitude, not decimals.
    """
    table = {}
    for name, (fact_id, what) in _INTERCONNECTS.items():
        q = sources.value(fact_id)
        if name == "on_chip_wire_10mm":
            q = q / Q_(256, "bit")                          # the fact is 256 bits moved 10 mm
        table[name] = Interconnect(name, converted(q, "pJ/bit"), what, fact_id)
    ordered = sorted(table.values(), key=lambda item: item.energy_per_bit.magnitude)
    return MappingProxyType({item.name: item for item in ordered})


def __getattr__(name: str):
    if name == "INTERCONNECTS":  # built from the sources registry on first use, never at import
        return interconnects()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def link_power(bandwidth, energy_per_bit) -> pint.Quantity:
    """Power to keep a link busy: P = data rate × energy per bit.

    Parameters
    ----------
    bandwidth : pint.Quantity or float or array_like
        Data rate, at least 0; plain numbers in **B/s**. Give links their unit explicitly:
        ``1.6 * u.Tbit / u.s`` is 8× less than ``1.6 * u.TB / u.s``.
    energy_per_bit : pint.Quantity or float or array_like
        Energy per bit, at least 0; plain numbers in **J/bit** (pass ``5.6 * u.pJ / u.bit``, or an
        :class:`Interconnect`'s ``energy_per_bit``).

    Returns
    -------
    pint.Quantity
        Power in W.

    Raises
    ------
    TypeError
        Wrong type or dimension (e.g. a power passed as ``energy_per_bit``).
    ValueError
        Negative values, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(link_power(1.6 * u.Tbit / u.s, 5.625 * u.pJ / u.bit))
    9 W

    Notes
    -----
    Definition of power (energy per second) applied to a stream of bits. Every watt of link power is also a
    watt of heat for the cooling to remove (chapter 06).
    """
    rate = as_quantity(bandwidth, "B/s", "bandwidth", nonnegative=True)
    per_bit = as_quantity(energy_per_bit, "J/bit", "energy_per_bit", nonnegative=True)
    return converted(rate * per_bit, "W")


def energy_per_bit(power, bandwidth) -> pint.Quantity:
    """Energy per bit of a link from its power and data rate: E = P / data rate.

    Parameters
    ----------
    power : pint.Quantity or float or array_like
        Power of the link (both ends, or as the source states), at least 0; plain numbers in W.
    bandwidth : pint.Quantity or float or array_like
        Data rate, greater than 0; plain numbers in **B/s** (``1.6 * u.Tbit / u.s`` for a 1.6 Tb/s port).

    Returns
    -------
    pint.Quantity
        Energy per bit, in pJ/bit.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Negative power, non-positive bandwidth, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(energy_per_bit(30, 1.6 * u.Tbit / u.s))     # a pluggable optical port (NVIDIA 2025)
    18.75 pJ / bit

    Notes
    -----
    Inverse of :func:`link_power`. NVIDIA's ≈30 W → ≈9 W per 1.6 Tb/s port (facts
    ``nvidia_pluggable_port_power``, ``nvidia_cpo_port_power``) give ≈18.8 and ≈5.6 pJ/bit.
    """
    p = as_quantity(power, "W", "power", nonnegative=True)
    rate = as_quantity(bandwidth, "B/s", "bandwidth", positive=True)
    return converted(p / rate, "pJ/bit")


def data_rate_ratio(a, b) -> pint.Quantity:
    """Ratio of two data rates, whatever their units: ``data_rate_ratio(1.6 TB/s, 1.6 Tb/s)`` is 8.

    Parameters
    ----------
    a, b : pint.Quantity or float or array_like
        Data rates, ``a`` at least 0 and ``b`` greater than 0; plain numbers in B/s.

    Returns
    -------
    pint.Quantity
        a / b, dimensionless.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Negative ``a``, non-positive ``b``, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(data_rate_ratio(1.6 * u.TB / u.s, 1.6 * u.Tbit / u.s))
    8

    Notes
    -----
    A byte is 8 bits (B vs b): the unit slip that turns a switch port's 1.6 terabits per second into
    "1.6 terabytes".
    """
    first = as_quantity(a, "B/s", "a", nonnegative=True)
    second = as_quantity(b, "B/s", "b", positive=True)
    return converted(first / second, "dimensionless")


class BandwidthCheck(NamedTuple):
    """The article's "1.6 terabytes a second" against NVIDIA's 1.6 terabits per port, at one energy per bit.

    Attributes
    ----------
    claimed : pint.Quantity
        The article's figure, TB/s.
    port : pint.Quantity
        NVIDIA's photonic switch port, Tbit/s.
    ratio : pint.Quantity
        claimed / port, dimensionless (8 if the numbers are the same and only the unit differs).
    energy_per_bit : pint.Quantity
        The energy per bit both powers are computed at, pJ/bit (an array if several were given).
    power_per_port : pint.Quantity
        Link power at the port's real rate, W.
    power_as_claimed : pint.Quantity
        Link power at the claimed rate, read in bytes, W: ``ratio`` times ``power_per_port``.
    """
    claimed: pint.Quantity
    port: pint.Quantity
    ratio: pint.Quantity
    energy_per_bit: pint.Quantity
    power_per_port: pint.Quantity
    power_as_claimed: pint.Quantity


def article_bandwidth_check(energy_per_bit) -> BandwidthCheck:
    """Check the article's "1.6 terabytes a second" against NVIDIA's 1.6 Tb/s ports, and the watts of each.

    Parameters
    ----------
    energy_per_bit : pint.Quantity or float or array_like
        Energy per bit of the link, at least 0; plain numbers in **J/bit**. Pass an :class:`Interconnect`'s
        ``energy_per_bit`` (``interconnects()["cpo_optics"]``, ≈5.6 pJ/bit, or ``["pluggable_optics"]``,
        ≈18.8 pJ/bit), or several at once as an array, to compare them side by side.

    Returns
    -------
    BandwidthCheck
        Both figures, their ratio (8), the energy per bit, and the link power each rate implies at it.

    Raises
    ------
    TypeError
        Wrong type or dimension (e.g. a power passed as ``energy_per_bit``).
    ValueError
        Negative values, NaN or infinity.

    Examples
    --------
    >>> links = interconnects()
    >>> c = article_bandwidth_check(links["cpo_optics"].energy_per_bit)
    >>> print(c.ratio, c.power_per_port, c.power_as_claimed)
    8 9 W 72 W
    >>> print(article_bandwidth_check(links["pluggable_optics"].energy_per_bit).power_as_claimed)
    240 W

    Notes
    -----
    Facts ``article_chip_bandwidth_claim`` (the article, as quoted) and ``nvidia_photonics_port_bandwidth``
    (1.6 Tb/s per port, NVIDIA 2025); power by :func:`link_power`. NVIDIA's ≈9 W (co-packaged) and ≈30 W
    (pluggable) per port are the port rate at the two optics' energies per bit. Read in bytes, the article's
    figure would be 8× the port's rate and 8× the heat, whatever the optics: probably a unit slip (fact sheet,
    section F).
    """
    per_bit = converted(as_quantity(energy_per_bit, "J/bit", "energy_per_bit", nonnegative=True), "pJ/bit")
    claimed = converted(sources.value("article_chip_bandwidth_claim"), "TB/s")
    port = converted(sources.value("nvidia_photonics_port_bandwidth"), "Tbit/s")
    return BandwidthCheck(claimed=claimed, port=port, ratio=data_rate_ratio(claimed, port), energy_per_bit=per_bit,
                          power_per_port=link_power(port, per_bit), power_as_claimed=link_power(claimed, per_bit))


def saving_from_reduction_factor(factor) -> pint.Quantity:
    """Energy saved when power falls by a factor: 1 − 1/factor (">5× lower power" = 80% less energy).

    Parameters
    ----------
    factor : pint.Quantity or float or array_like
        How many times lower the new power is, at least 1 (a plain number).

    Returns
    -------
    pint.Quantity
        The saving as a dimensionless fraction (``.to("percent")``).

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        A factor below 1, NaN or infinity.

    Examples
    --------
    >>> print(saving_from_reduction_factor(5).to("percent"))
    80 %

    Notes
    -----
    IBM's co-packaged optics: ">5×" lower power than electrical interconnects (fact
    ``ibm_cpo_power_reduction_factor``) ≡ ≥80% less energy — the article's "80% more efficient" only in this
    reading (facts ``ibm_cpo_energy_saving``, ``article_ibm_optics_efficiency_claim``). Note the asymmetry:
    5× more *efficient* is 80% *less* energy, not 400% less.
    """
    f = as_quantity(factor, "dimensionless", "factor", minimum=1)
    return converted(1 - 1 / f, "dimensionless")
