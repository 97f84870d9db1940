"""Heat transport: every watt a computer draws becomes a watt of heat, and a coolant has to carry it away.

* :func:`heat_from_power` — the first law: electrical power in = heat out (nothing is stored for long).
* :func:`mass_flow`, :func:`volume_flow` — how much air or water must flow to carry a heat load with a given
  temperature rise: ṁ = Q / (c_p·ΔT), V̇ = Q / (ρc_p·ΔT). Heat capacities come from the sources registry.
* :func:`rack_cooling`, :func:`max_air_cooled_rack_power` — why a 10 kW rack is fine with air and a 120 kW
  AI rack (GB200 NVL72) needs liquid: the air would have to blow through the rack's face at gale speed.

Plain numbers are read in SI units: powers in W, temperature differences in K, areas in m², speeds in m/s.
Temperature differences may be written ``12 * u.K`` or ``12 * u.delta_degC``; ``12 * u.degC`` is an absolute
temperature (285 K) and is refused.

    >>> from energylab.units import u
    >>> from energylab.cooling import heat
    >>> print(heat.volume_flow(10 * u.kW, 12 * u.K, "air").to("m**3/s"))
    0.6887 m ** 3 / s
    >>> print(heat.volume_flow(10 * u.kW, 12 * u.K, "water").to("L/s"))
    0.1994 L / s
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pint

from ..units import as_choice, as_quantity, plain
from ._common import LazyAssumptions, fact, kelvin_difference

__all__ = [
    "COOLANTS", "heat_from_power", "specific_heat", "volumetric_heat_capacity", "mass_flow", "volume_flow",
    "RackCooling", "rack_cooling", "max_air_cooled_rack_power", "HEAT_ASSUMPTIONS", "COLD_PLATE_SHARE",
]

#: Coolants known to :func:`mass_flow` and :func:`volume_flow`.
COOLANTS = ("air", "water")

#: Share of a liquid-cooled server's heat its cold plates take (course assumption, :data:`HEAT_ASSUMPTIONS`). One
#: value serves the whole course: the site model's ``direct_liquid`` design and the heat a liquid-cooled hall
#: can hand to a heating network (:mod:`energylab.cooling.reuse`).
COLD_PLATE_SHARE = 0.8

#: Largest average air speed through a rack's front face (m/s), course assumption (:data:`HEAT_ASSUMPTIONS`).
MAX_AIR_VELOCITY = 1.5


def _heat_assumptions() -> dict:
    """Course assumptions of this module, quoting registry values from the registry (not marked used)."""
    from .. import sources
    threshold = sources.all_facts()["uptime_rack_density_threshold_2023"]
    most = f"{threshold.q.to('kW').magnitude:g} kW"
    return {
        "rack_face_area": ("1.2 m² (0.6 m wide × 2.0 m tall)",
                           "The front of a standard 600 mm wide, 42U rack. All the cooling air must pass through it."),
        "air_delta_t": ("12 K across the servers",
                        "Servers typically warm their air by 10–15 K (inlet 18–27 °C, ASHRAE's recommended envelope; "
                        "exhaust 30–40 °C)."),
        "water_delta_t": ("10 K across the cold plates",
                          "Direct-to-chip liquid loops run with a 5–15 K rise."),
        "cold_plate_share": (f"{COLD_PLATE_SHARE * 100:g} % of a liquid-cooled server's heat",
                             "Cold plates sit on the GPUs and CPUs; memory, drives, power supplies and network cards "
                             "still shed the rest into air. One share for the whole course: the direct_liquid design "
                             "of the site model and the heat a liquid-cooled hall can sell (reuse.capture_liquid)."),
        "max_air_velocity": (f"{MAX_AIR_VELOCITY:g} m/s averaged over the rack face",
                             f"Above it fan power (∝ v³), pressure drop and noise climb steeply. Chosen so that air "
                             f"still cools, with some margin, the densest racks most operators ran in 2023 (most had "
                             f"none above {most}, {threshold.cite()}); it is a course assumption, not a measured "
                             f"limit."),
    }


#: Course assumptions of this module: (value, reason). Read-only; built on first use (it quotes the registry).
HEAT_ASSUMPTIONS = LazyAssumptions(_heat_assumptions)

_SPECIFIC_HEAT = {"air": "air_specific_heat", "water": "water_specific_heat"}
_VOLUMETRIC = {"air": "air_volumetric_heat_capacity", "water": "water_volumetric_heat_capacity"}


def heat_from_power(power) -> pint.Quantity:
    """Heat released by electronics drawing ``power``: all of it (first law of thermodynamics).

    A server stores no energy for long: the electrical power it draws leaves as heat (a few watts leave as
    light, sound or signals on cables, which is negligible). So the cooling plant must remove, every hour,
    as much heat as the IT equipment draws electricity — plus the heat of the fans, power supplies and
    lights in the room.

    Parameters
    ----------
    power : pint.Quantity or float or array_like
        Electrical power drawn, at least 0; plain numbers in W.

    Returns
    -------
    pint.Quantity
        Heat released per unit time, in kW, of the same shape.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(heat_from_power(120 * u.kW))
    120 kW
    """
    power = as_quantity(power, "W", "power", nonnegative=True)
    return plain(power.to("kW").magnitude, "kW")


def _coolant(coolant) -> str:
    return as_choice(coolant, "coolant", COOLANTS)


def specific_heat(coolant: str = "water") -> pint.Quantity:
    """Specific heat capacity c_p of ``"air"`` (1.005) or ``"water"`` (4.18 kJ/(kg·K)), from the registry.

    Parameters
    ----------
    coolant : {"water", "air"}
        Which coolant.

    Returns
    -------
    pint.Quantity
        c_p in kJ/(kg·K).

    Examples
    --------
    >>> print(specific_heat("air"))
    1.005 kJ / K / kg

    Notes
    -----
    Facts ``air_specific_heat`` (Ling et al. 2016) and ``water_specific_heat`` (NIST WebBook).
    """
    return plain(fact(_SPECIFIC_HEAT[_coolant(coolant)], "kJ/(kg*K)"), "kJ/(kg*K)")


def volumetric_heat_capacity(coolant: str = "water") -> pint.Quantity:
    """Heat carried per cubic metre per kelvin, ρ·c_p: air 1.21 kJ/(m³·K), water 4.18 MJ/(m³·K) (≈3,500× more).

    Parameters
    ----------
    coolant : {"water", "air"}
        Which coolant (air at 20 °C and 1 atm).

    Returns
    -------
    pint.Quantity
        ρ·c_p in kJ/(m³·K).

    Examples
    --------
    >>> print(volumetric_heat_capacity("water"))
    4180 kJ / K / m ** 3

    Notes
    -----
    Facts ``air_volumetric_heat_capacity`` (Ling et al. 2016) and ``water_volumetric_heat_capacity`` (NIST).
    """
    return plain(fact(_VOLUMETRIC[_coolant(coolant)], "kJ/(m**3*K)"), "kJ/(m**3*K)")


def mass_flow(heat, delta_t, coolant: str = "water") -> pint.Quantity:
    """Mass flow of coolant that carries ``heat`` while warming by ``delta_t``: ṁ = Q / (c_p·ΔT).

    Parameters
    ----------
    heat : pint.Quantity or float or array_like
        Heat load, at least 0; plain numbers in W.
    delta_t : pint.Quantity or float or array_like
        Temperature rise of the coolant, greater than 0; plain numbers in K (``u.delta_degC`` also works).
    coolant : {"water", "air"}
        Which coolant; its c_p comes from the registry (:func:`specific_heat`).

    Returns
    -------
    pint.Quantity
        Mass flow in kg/s, broadcast over the inputs.

    Raises
    ------
    TypeError
        ``heat`` not a power, ``delta_t`` an absolute temperature such as ``10 * u.degC``, unknown coolant.
    ValueError
        Negative heat, zero or negative ``delta_t``.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(mass_flow(120 * u.kW, 10 * u.K, "water"))
    2.871 kg / s
    """
    heat = as_quantity(heat, "W", "heat", nonnegative=True).magnitude
    dt = kelvin_difference(delta_t, "delta_t")
    cp = specific_heat(coolant).to("J/(kg*K)").magnitude
    return plain(np.asarray(heat) / (cp * np.asarray(dt)), "kg/s")


def volume_flow(heat, delta_t, coolant: str = "water") -> pint.Quantity:
    """Volume flow of coolant that carries ``heat`` while warming by ``delta_t``: V̇ = Q / (ρc_p·ΔT).

    Parameters
    ----------
    heat : pint.Quantity or float or array_like
        Heat load, at least 0; plain numbers in W.
    delta_t : pint.Quantity or float or array_like
        Temperature rise of the coolant, greater than 0; plain numbers in K.
    coolant : {"water", "air"}
        Which coolant; ρc_p comes from the registry (:func:`volumetric_heat_capacity`; air at 20 °C, 1 atm).

    Returns
    -------
    pint.Quantity
        Volume flow in m³/s.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(volume_flow(120 * u.kW, 12 * u.K, "air"))
    8.264 m ** 3 / s
    """
    heat = as_quantity(heat, "W", "heat", nonnegative=True).magnitude
    dt = kelvin_difference(delta_t, "delta_t")
    rho_cp = volumetric_heat_capacity(coolant).to("J/(m**3*K)").magnitude
    return plain(np.asarray(heat) / (rho_cp * np.asarray(dt)), "m**3/s")


class RackCooling(NamedTuple):
    """Air vs water for one rack (see :func:`rack_cooling`); every field a quantity except ``air_ok``."""
    rack_power: pint.Quantity          # kW
    air_flow: pint.Quantity            # m³/s of air at the assumed ΔT
    air_velocity: pint.Quantity        # m/s through the rack face
    fan_power_factor: pint.Quantity    # fan power per kW of heat, relative to the air limit (∝ v²)
    water_flow: pint.Quantity          # L/s of water at the assumed ΔT
    air_to_water_volume: pint.Quantity  # how many times more volume of air than water
    air_ok: np.ndarray | bool          # air velocity within the practical limit

    def __str__(self) -> str:
        from ..units import fmt
        lines = []
        for i, power in enumerate(np.atleast_1d(self.rack_power.magnitude)):
            def pick(q, i=i):
                return np.atleast_1d(q.magnitude)[i if np.size(q.magnitude) > 1 else 0]
            verdict = "air can do it" if bool(np.atleast_1d(self.air_ok)[i]) else "needs liquid"
            lines.append(f"{fmt(power)} kW rack: air {fmt(pick(self.air_flow))} m³/s at "
                         f"{fmt(pick(self.air_velocity))} m/s through the face, or water "
                         f"{fmt(pick(self.water_flow))} L/s — {verdict}")
        return "\n".join(lines)


def rack_cooling(rack_power, delta_t_air=12, delta_t_water=10, face_area=1.2,
                 max_air_velocity=MAX_AIR_VELOCITY) -> RackCooling:
    """Air or water for a rack: the flow each needs and the air speed through the rack's face.

    Air flow V̇ = P / (ρc_p,air·ΔT_air); face velocity v = V̇ / A. Fan power goes as flow × pressure drop and the
    pressure drop as v², so the fan power *per kW of heat* grows as v²: ``fan_power_factor`` = (v / v_max)².
    Water flow = P / (ρc_p,water·ΔT_water).

    With the course assumptions (:data:`HEAT_ASSUMPTIONS`: ΔT_air 12 K, 1.2 m² face, 1.5 m/s limit) a 10 kW
    rack needs 0.69 m³/s of air (0.57 m/s), comfortably within reach; a 120 kW GB200 NVL72 rack needs 8.3 m³/s
    (6.9 m/s, a fresh breeze through a doorway-sized grille, with ≈21× the fan power per kW) — or 2.9 L/s of
    water at a 10 K rise.

    Parameters
    ----------
    rack_power : pint.Quantity or float or array_like
        Electrical (= heat) power of the rack, greater than 0; plain numbers in W.
    delta_t_air : pint.Quantity or float, optional
        Air temperature rise across the servers; plain numbers in K. Default 12 K (course assumption).
    delta_t_water : pint.Quantity or float, optional
        Water temperature rise across the cold plates; plain numbers in K. Default 10 K.
    face_area : pint.Quantity or float, optional
        Area the air passes through; plain numbers in m². Default 1.2 m².
    max_air_velocity : pint.Quantity or float, optional
        Practical limit of the average air speed through the face; plain numbers in m/s. Default 1.5 m/s.

    Returns
    -------
    RackCooling
        Flows, velocity, relative fan power, and ``air_ok`` (True where air stays within the limit).

    Examples
    --------
    >>> from energylab.units import u
    >>> r = rack_cooling([10, 120] * u.kW)
    >>> print(r.air_velocity.round(2), r.air_ok)
    [0.57 6.89] m / s [ True False]

    Notes
    -----
    Heat capacities: facts ``air_volumetric_heat_capacity``, ``water_volumetric_heat_capacity``. The 120 kW
    rack: ``gb200_nvl72_rack_power`` (NVIDIA). The air limit is a course assumption set just above the 20 kW most
    operators' racks stayed under in 2023 (``uptime_rack_density_threshold_2023``, Uptime Institute 2023).
    """
    power = as_quantity(rack_power, "W", "rack_power", positive=True).to("kW").magnitude
    area = as_quantity(face_area, "m**2", "face_area", positive=True).magnitude
    v_max = as_quantity(max_air_velocity, "m/s", "max_air_velocity", positive=True).magnitude
    air = volume_flow(power * 1e3, delta_t_air, "air").magnitude
    velocity = air / area
    water = volume_flow(power * 1e3, delta_t_water, "water").to("L/s").magnitude
    ok = velocity <= v_max
    return RackCooling(
        rack_power=plain(power, "kW"), air_flow=plain(air, "m**3/s"), air_velocity=plain(velocity, "m/s"),
        fan_power_factor=plain((velocity / v_max) ** 2, "dimensionless"), water_flow=plain(water, "L/s"),
        air_to_water_volume=plain(air / (water / 1e3), "dimensionless"),
        air_ok=bool(ok) if np.ndim(ok) == 0 else np.asarray(ok))


def max_air_cooled_rack_power(delta_t_air=12, face_area=1.2, max_air_velocity=MAX_AIR_VELOCITY) -> pint.Quantity:
    """Largest rack power air can carry at a face velocity limit: P = ρc_p,air · v_max · A · ΔT_air.

    With the course assumptions (12 K, 1.2 m², 1.5 m/s) this is ≈26 kW, a little above the 20 kW most operators'
    racks stayed under in 2023 (``uptime_rack_density_threshold_2023``). Double ΔT or the allowed velocity and the
    limit doubles; it cannot reach 120 kW without a wind tunnel.

    Parameters
    ----------
    delta_t_air : pint.Quantity or float, optional
        Air temperature rise across the servers; plain numbers in K. Default 12 K.
    face_area : pint.Quantity or float, optional
        Plain numbers in m². Default 1.2 m².
    max_air_velocity : pint.Quantity or float, optional
        Plain numbers in m/s. Default 1.5 m/s.

    Returns
    -------
    pint.Quantity
        Rack power in kW.

    Examples
    --------
    >>> print(max_air_cooled_rack_power())
    26.14 kW
    """
    dt = kelvin_difference(delta_t_air, "delta_t_air")
    area = as_quantity(face_area, "m**2", "face_area", positive=True).magnitude
    v_max = as_quantity(max_air_velocity, "m/s", "max_air_velocity", positive=True).magnitude
    rho_cp = volumetric_heat_capacity("air").to("J/(m**3*K)").magnitude
    return plain(rho_cp * np.asarray(v_max) * np.asarray(area) * np.asarray(dt) / 1e3, "kW")
