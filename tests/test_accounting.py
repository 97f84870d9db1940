"""Unit tests for energylab.accounting: values by independent arithmetic, shapes, and bad input."""
import math

import numpy as np
import pytest

from energylab import accounting as acc
from energylab.units import Q_, u

from helpers import mag

approx = pytest.approx


# ------------------------------------------------------------------------------------------------
# values
# ------------------------------------------------------------------------------------------------

def test_energy_gpt3_training():
    # Patterson et al. 2021: 10,000 V100s for 14.8 days (355.2 h) at 330 W, PUE 1.10
    it = acc.energy(10_000 * 330 * u.W, 14.8 * u.day)
    assert mag(it, "kWh") == approx(10_000 * 355.2 * 0.330)
    assert mag(acc.facility_energy(it, 1.10), "MWh") == approx(10_000 * 355.2 * 0.330 * 1.10 / 1000)
    assert mag(acc.facility_energy(it, 1.10), "MWh") == approx(1289.376)


def test_energy_plain_numbers_are_kw_and_hours():
    e = acc.energy(2, 3)
    assert e.units == u.kWh
    assert isinstance(e.magnitude, float)
    assert e.magnitude == approx(6.0)


def test_energy_converts_units():
    assert mag(acc.energy(1 * u.W, 3600 * u.s), "J") == approx(3600)
    assert mag(acc.energy(1 * u.MW, 30 * u.min), "kWh") == approx(500)


def test_average_power():
    p = acc.average_power(3.6 * u.MJ, 1 * u.h)  # 3.6 MJ = 1 kWh
    assert p.units == u.kW
    assert p.magnitude == approx(1.0)
    assert mag(acc.average_power(8760, 8760), "W") == approx(1000)
    assert mag(acc.average_power(1 * u.kWh, 1 * u.year), "W") == approx(1000 / 8760)


def test_facility_power_and_it_energy():
    assert mag(acc.facility_power(100 * u.MW, 1.5), "MW") == approx(150)
    assert acc.facility_power(2, 1.25).units == u.kW
    assert mag(acc.it_energy(1.5 * u.GWh, 1.5), "GWh") == approx(1.0)
    assert mag(acc.it_energy(1289.376 * u.MWh, 1.1), "kWh") == approx(1_172_160)


def test_pue_exactly_one_is_allowed():
    assert acc.facility_energy(5, 1).magnitude == approx(5)
    assert acc.overhead_energy(5, 1).magnitude == approx(0)


def test_pue_from_breakdown_shares():
    # 45 % chips, 40 % cooling, 15 % other; counting only the chips as IT: 100 / 45
    expected = 100 / 45
    pct = u.percent
    assert acc.pue_from_breakdown(45 * pct, 40 * pct, 15 * pct).magnitude == approx(expected)
    assert acc.pue_from_breakdown(0.45, 0.40, 0.15).magnitude == approx(expected)
    assert acc.pue_from_breakdown(45, 40, 15).magnitude == approx(expected)  # plain percentages: same ratio
    assert acc.pue_from_breakdown(45, 40, 15).units == u.dimensionless
    assert expected == approx(2.2222, rel=1e-4)


def test_pue_from_breakdown_energies_and_powers():
    assert acc.pue_from_breakdown(1 * u.MWh, 300 * u.kWh, 0.1 * u.MWh).magnitude == approx(1.4)
    assert acc.pue_from_breakdown(100 * u.kW, 20 * u.kW).magnitude == approx(1.2)  # other defaults to 0
    assert acc.pue_from_breakdown(100 * u.kW, 20 * u.kW, 0).magnitude == approx(1.2)
    assert acc.pue_from_breakdown(1 * u.MWh, 0 * u.kWh).magnitude == approx(1.0)


def test_it_share_and_overhead():
    assert acc.it_share(1.25).magnitude == approx(0.8)
    assert mag(acc.it_share(2), "percent") == approx(50)
    assert acc.it_share(1.25).units == u.dimensionless
    o = acc.overhead_energy(1 * u.MWh, 1.2)
    assert o.units == u.kWh and o.magnitude == approx(200)
    # overhead + IT = facility
    assert mag(o + 1 * u.MWh, "kWh") == approx(mag(acc.facility_energy(1 * u.MWh, 1.2), "kWh"))


def test_emissions_gpt3():
    # 1,287 MWh x 0.429 kgCO2e/kWh = 552,123 kgCO2e ~ 552 tCO2e
    e = acc.emissions(1287 * u.MWh, 429)
    assert e.units == u.kgCO2e
    assert e.magnitude == approx(1_287_000 * 0.429)
    assert mag(e, "tCO2e") == approx(552.123)
    assert mag(acc.emissions(1287 * u.MWh, 0.429 * u.kgCO2e / u.kWh), "tCO2e") == approx(552.123)


def test_emissions_intensity_units_convert():
    assert acc.emissions(1, 1 * u.kgCO2e / u.MWh).magnitude == approx(0.001)
    assert acc.emissions(3.6 * u.MJ, 1000).magnitude == approx(1.0)


def test_water_use():
    w = acc.water_use(1000, 0.5, pue=1.2, water_intensity_offsite=3.0)
    assert isinstance(w, acc.WaterUse)
    assert w.on_site.units == u.L
    assert w.on_site.magnitude == approx(1000 * 0.5)
    assert w.off_site.magnitude == approx(1000 * 1.2 * 3.0)
    assert w.total.magnitude == approx(500 + 3600)
    on, off, total = w  # a tuple
    assert total.magnitude == approx(on.magnitude + off.magnitude)


def test_water_use_defaults_and_units():
    w = acc.water_use(1 * u.MWh, 1.8 * u.L / u.kWh)
    assert w.on_site.magnitude == approx(1800)
    assert w.off_site.magnitude == 0
    assert w.total.magnitude == approx(1800)
    w = acc.water_use(1 * u.MWh, 1 * u.m**3 / u.MWh, water_intensity_offsite=1 * u.gallon / u.kWh)
    assert w.on_site.magnitude == approx(1000)
    assert w.off_site.magnitude == approx(1000 * 3.785411784)


def test_cost_cents_and_dollars():
    c = acc.cost(1 * u.MWh, 12 * u.cent / u.kWh)
    assert c.units == u.USD
    assert c.magnitude == approx(120)
    assert acc.cost(1000, 0.12).magnitude == approx(120)
    assert acc.cost(1000, 120 * u.USD / u.MWh).magnitude == approx(120)


def test_annual_energy():
    e = acc.annual_energy(1 * u.GW)
    assert e.units == u.kWh
    assert mag(e, "TWh") == approx(8.76)
    assert acc.annual_energy(1, 0.5).magnitude == approx(4380)
    assert acc.annual_energy(1, 50 * u.percent).magnitude == approx(4380)
    assert acc.annual_energy(1, 0).magnitude == 0


def test_annualise():
    e = acc.annualise(10 * u.kWh, 1 * u.day)
    assert e.units == u.kWh
    assert e.magnitude == approx(3650)
    assert acc.annualise(1, 8760).magnitude == approx(1)
    assert mag(acc.annualise(1287 * u.MWh, 14.8 * u.day), "MWh") == approx(1287 * 365 / 14.8)


def test_per_unit():
    q = acc.per_unit(1 * u.MWh, 1_000_000, name="queries")
    assert q.units == u.MWh  # the total's unit, divided by a plain count
    assert mag(q, "Wh") == approx(1.0)
    t = acc.per_unit(1 * u.kWh, 1e6 * u.token)
    assert mag(t, "J/token") == approx(3.6)
    assert acc.per_unit(10, 4).magnitude == approx(2.5)


def test_cagr():
    r = acc.cagr(100 * u.TWh, 121 * u.TWh, 2)
    assert r.units == u.dimensionless
    assert r.magnitude == approx(0.1)
    # IEA 2025: 415 TWh (2024) to 945 TWh (2030)
    assert acc.cagr(415 * u.TWh, 945 * u.TWh, 6).magnitude == approx((945 / 415) ** (1 / 6) - 1)
    # mixed units of the same dimension
    assert acc.cagr(1 * u.MWh, 2000 * u.kWh, 24 * u.month).magnitude == approx(math.sqrt(2) - 1, rel=1e-3)
    assert acc.cagr(5, 5, 3).magnitude == approx(0)


def test_project():
    p = acc.project(415 * u.TWh, 15 * u.percent, 6)
    assert p.units == u.TWh
    assert p.magnitude == approx(415 * 1.15**6)
    assert acc.project(100, 0.1, 2).magnitude == approx(121)
    assert acc.project(100, -0.5, 1).magnitude == approx(50)
    assert acc.project(100, 0.1, -1).magnitude == approx(100 / 1.1)
    assert acc.project(100, 0.1, 365 * u.day).magnitude == approx(110)


def test_net_growth_rate_multiplies_demand_and_efficiency():
    assert acc.net_growth_rate(0.2, 0.1).magnitude == approx(1.2 * 0.9 - 1)
    assert acc.net_growth_rate(20 * u.percent, 0).magnitude == approx(0.2)
    assert acc.net_growth_rate(0.1, 0.5).magnitude < 0                     # efficiency wins
    assert acc.net_growth_rate([0.0, 0.3], 0.1).magnitude == approx([-0.1, 0.17])
    with pytest.raises(ValueError, match="efficiency_gain must be less than 1"):
        acc.net_growth_rate(0.2, 1.0)
    with pytest.raises(ValueError, match="growth must be greater than -1"):
        acc.net_growth_rate(-1, 0.1)


# ------------------------------------------------------------------------------------------------
# return types and vectorisation
# ------------------------------------------------------------------------------------------------

SCALAR_CALLS = [
    (acc.energy, (1, 2)),
    (acc.average_power, (1, 2)),
    (acc.facility_energy, (1, 1.2)),
    (acc.facility_power, (1, 1.2)),
    (acc.it_energy, (1, 1.2)),
    (acc.pue_from_breakdown, (1, 0.2, 0.1)),
    (acc.it_share, (1.2,)),
    (acc.overhead_energy, (1, 1.2)),
    (acc.emissions, (1, 400)),
    (acc.cost, (1, 0.1)),
    (acc.annual_energy, (1, 0.5)),
    (acc.annualise, (1, 2)),
    (acc.per_unit, (1, 2)),
    (acc.cagr, (1, 2, 3)),
    (acc.project, (1, 0.1, 3)),
]


@pytest.mark.parametrize("func, args", SCALAR_CALLS, ids=lambda x: getattr(x, "__name__", ""))
def test_scalar_input_gives_float_magnitude(func, args):
    result = func(*args)
    assert type(result.magnitude) is float


@pytest.mark.parametrize("func, args", SCALAR_CALLS, ids=lambda x: getattr(x, "__name__", ""))
def test_array_input_gives_array(func, args):
    first = np.array([args[0], args[0], args[0]], dtype=float)
    result = func(first, *args[1:])
    assert isinstance(result.magnitude, np.ndarray)
    assert result.magnitude.shape == (3,)
    assert result.magnitude == approx(np.full(3, func(*args).magnitude))


def test_broadcasting_column_by_row():
    power = np.array([[0.1], [0.2]]) * u.kW           # shape (2, 1)
    hours = np.array([1.0, 2.0, 3.0])                  # shape (3,)
    e = acc.energy(power, hours)
    assert e.magnitude.shape == (2, 3)
    assert e.magnitude == approx(np.array([[0.1, 0.2, 0.3], [0.2, 0.4, 0.6]]))
    table = acc.project(100, np.array([[0.1], [0.2]]), np.arange(4))
    assert table.magnitude.shape == (2, 4)
    assert table.magnitude[1] == approx([100, 120, 144, 172.8])
    assert acc.facility_energy(np.ones(5), np.linspace(1, 2, 5)).magnitude == approx(np.linspace(1, 2, 5))
    assert acc.cagr(1, np.array([1.0, 4.0]), np.array([[1.0], [2.0]])).magnitude.shape == (2, 2)


def test_water_use_arrays_broadcast_to_one_shape():
    w = acc.water_use(1000, np.array([0.2, 0.5, 1.8]), pue=1.2, water_intensity_offsite=3.0)
    for q in w:
        assert isinstance(q.magnitude, np.ndarray) and q.magnitude.shape == (3,)
    assert w.off_site.magnitude == approx(np.full(3, 3600))
    assert w.total.magnitude == approx([3800, 4100, 5400])
    scalar = acc.water_use(1, 1)
    assert all(type(q.magnitude) is float for q in scalar)


def test_lists_are_accepted_as_arrays():
    assert acc.energy([1, 2], 1).magnitude == approx([1, 2])


# ------------------------------------------------------------------------------------------------
# bad input: every function, type and message (argument name and a unit)
# ------------------------------------------------------------------------------------------------

BAD = [
    # (call, exception, pattern naming the argument and a unit)
    (lambda: acc.energy(-1, 1), ValueError, r"power.*kW"),
    (lambda: acc.energy(1, -1), ValueError, r"duration.*h"),
    (lambda: acc.energy(1 * u.kWh, 1), TypeError, r"power.*a power.*kWh"),
    (lambda: acc.energy(None, 1), TypeError, r"power.*kW"),
    (lambda: acc.energy("330 W", 1), TypeError, r"power.*kW"),
    (lambda: acc.energy(True, 1), TypeError, r"power.*kW"),
    (lambda: acc.energy(1, 5 * u.m), TypeError, r"duration.*a time"),
    (lambda: acc.average_power(1, 0), ValueError, r"duration.*greater than 0.*h"),
    (lambda: acc.average_power(-1, 1), ValueError, r"energy.*kWh"),
    (lambda: acc.average_power(1 * u.kW, 1), TypeError, r"energy.*an energy.*kW"),
    (lambda: acc.average_power(None, 1), TypeError, r"energy.*kWh"),
    (lambda: acc.facility_energy(1, 0.9), ValueError,
     r"pue must be at least 1 .*plain number.*A facility cannot use less energy than its IT equipment"),
    (lambda: acc.facility_energy(-1, 1.1), ValueError, r"it_energy.*kWh"),
    (lambda: acc.facility_energy(1 * u.kW, 1.1), TypeError, r"it_energy.*an energy"),
    (lambda: acc.facility_energy(1, 1.1 * u.kWh), TypeError, r"pue.*pure number"),
    (lambda: acc.facility_energy(1, "1.1"), TypeError, r"pue.*plain number"),
    (lambda: acc.facility_energy(1, np.array([1.2, 0.5])), ValueError, r"pue must be at least 1"),
    (lambda: acc.facility_power(1 * u.kWh, 1.1), TypeError, r"it_power.*a power.*kWh"),
    (lambda: acc.facility_power(1, 0.9), ValueError, r"pue must be at least 1"),
    (lambda: acc.facility_power(-1, 1.1), ValueError, r"it_power.*kW"),
    (lambda: acc.it_energy(1, 0.9), ValueError, r"pue must be at least 1"),
    (lambda: acc.it_energy(-1, 1.1), ValueError, r"facility_energy.*kWh"),
    (lambda: acc.it_energy(None, 1.1), TypeError, r"facility_energy.*kWh"),
    (lambda: acc.pue_from_breakdown(45 * u.kWh, 40 * u.kW), TypeError, r"it, cooling and other.*kWh.*kW"),
    (lambda: acc.pue_from_breakdown(45 * u.kWh, 0.4), TypeError, r"it, cooling and other.*kWh"),
    (lambda: acc.pue_from_breakdown(45 * u.kg, 40 * u.kg), TypeError, r"it, cooling and other.*kWh.*kg"),
    (lambda: acc.pue_from_breakdown(0, 0.4), ValueError, r"it must be greater than 0.*plain number"),
    (lambda: acc.pue_from_breakdown(1 * u.kWh, -1 * u.kWh), ValueError, r"cooling.*kWh"),
    (lambda: acc.pue_from_breakdown(1, 0.2, -0.1), ValueError, r"other.*plain number"),
    (lambda: acc.pue_from_breakdown(1, None), TypeError, r"cooling.*plain number"),
    (lambda: acc.it_share(0.9), ValueError, r"pue must be at least 1"),
    (lambda: acc.it_share(None), TypeError, r"pue.*plain number"),
    (lambda: acc.overhead_energy(1, 0.5), ValueError, r"pue must be at least 1"),
    (lambda: acc.overhead_energy(1 * u.kW, 1.2), TypeError, r"it_energy.*an energy"),
    (lambda: acc.emissions(-1, 400), ValueError, r"energy.*kWh"),
    (lambda: acc.emissions(1, -400), ValueError, r"intensity.*gCO2e / kWh"),
    (lambda: acc.emissions(1, 400 * u.kgCO2e), TypeError, r"intensity.*a carbon intensity"),
    (lambda: acc.emissions(1, "400"), TypeError, r"intensity.*gCO2e / kWh"),
    (lambda: acc.emissions(1 * u.kW, 400), TypeError, r"energy.*an energy"),
    (lambda: acc.water_use(-1, 1), ValueError, r"it_energy.*kWh"),
    (lambda: acc.water_use(1, -1), ValueError, r"wue_onsite.*L / kWh"),
    (lambda: acc.water_use(1, 1 * u.L), TypeError, r"wue_onsite.*a water intensity"),
    (lambda: acc.water_use(1, 1, pue=0.9), ValueError, r"pue must be at least 1"),
    (lambda: acc.water_use(1, 1, water_intensity_offsite=-3), ValueError,
     r"water_intensity_offsite.*L / kWh"),
    (lambda: acc.water_use(1, 1, water_intensity_offsite=None), TypeError,
     r"water_intensity_offsite.*L / kWh"),
    (lambda: acc.cost(1, -0.1), ValueError, r"price.*USD / kWh"),
    (lambda: acc.cost(1, 12 * u.cent), TypeError, r"price.*an energy price"),
    (lambda: acc.cost(1, False), TypeError, r"price.*USD / kWh"),
    (lambda: acc.cost(-1, 0.1), ValueError, r"energy.*kWh"),
    (lambda: acc.annual_energy(-1), ValueError, r"power.*kW"),
    (lambda: acc.annual_energy(1 * u.kWh), TypeError, r"power.*a power"),
    (lambda: acc.annual_energy(1, 1.5), ValueError, r"utilisation.*between 0 and 1.*fraction"),
    (lambda: acc.annual_energy(1, 150 * u.percent), ValueError, r"utilisation.*between 0 and 1"),
    (lambda: acc.annual_energy(1, -0.1), ValueError, r"utilisation.*plain number"),
    (lambda: acc.annualise(1, 0), ValueError, r"duration.*greater than 0.*h"),
    (lambda: acc.annualise(1, 1 * u.kWh), TypeError, r"duration.*a time"),
    (lambda: acc.annualise(-1, 1), ValueError, r"energy.*kWh"),
    (lambda: acc.per_unit(1 * u.kWh, 0, name="queries"), ValueError,
     r"queries must be greater than 0.*plain number"),
    (lambda: acc.per_unit(1 * u.kWh, -5 * u.token), ValueError, r"count must be greater than 0.*tok"),
    (lambda: acc.per_unit(None, 5), TypeError, r"total.*plain number"),
    (lambda: acc.per_unit(1, "five"), TypeError, r"count.*plain number"),
    (lambda: acc.cagr(1 * u.kWh, 2 * u.kW, 1), TypeError, r"start and end.*kWh.*kW"),
    (lambda: acc.cagr(0, 2, 1), ValueError, r"start must be greater than 0.*plain number"),
    (lambda: acc.cagr(1 * u.kWh, -2 * u.kWh, 1), ValueError, r"end must be greater than 0.*kWh"),
    (lambda: acc.cagr(1, 2, 0), ValueError, r"years must be greater than 0.*yr"),
    (lambda: acc.cagr(1, 2, 5 * u.kg), TypeError, r"years.*a time"),
    (lambda: acc.project(1, -1, 2), ValueError, r"rate must be greater than -1.*plain number"),
    (lambda: acc.project(1, -150 * u.percent, 2), ValueError, r"rate must be greater than -1"),
    (lambda: acc.project(1, 0.1 * u.kWh, 2), TypeError, r"rate.*pure number"),
    (lambda: acc.project(1, 0.1, 2 * u.kWh), TypeError, r"years.*a time"),
    (lambda: acc.project("1", 0.1, 2), TypeError, r"start.*plain number"),
]


@pytest.mark.parametrize("call, exc, pattern", BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_bad_input(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


NAN_CALLS = {
    "power": lambda x: acc.energy(x, 1),
    "duration": lambda x: acc.average_power(1, x),
    "it_energy": lambda x: acc.facility_energy(x, 1.1),
    "pue": lambda x: acc.facility_energy(1, x),
    "it_power": lambda x: acc.facility_power(x, 1.1),
    "facility_energy": lambda x: acc.it_energy(x, 1.1),
    "cooling": lambda x: acc.pue_from_breakdown(1, x),
    "intensity": lambda x: acc.emissions(1, x),
    "wue_onsite": lambda x: acc.water_use(1, x),
    "price": lambda x: acc.cost(1, x),
    "utilisation": lambda x: acc.annual_energy(1, x),
    "energy": lambda x: acc.annualise(x, 1),
    "total": lambda x: acc.per_unit(x, 2),
    "end": lambda x: acc.cagr(1, x, 1),
    "rate": lambda x: acc.project(1, x, 1),
}


@pytest.mark.parametrize("value", [math.nan, math.inf, np.array([1.0, np.nan])], ids=["nan", "inf", "array"])
@pytest.mark.parametrize("name", list(NAN_CALLS))
def test_nan_and_inf_are_rejected(name, value):
    # energylab.units.as_quantity's message names the argument (but not yet the unit) for NaN/inf
    with pytest.raises(ValueError, match=rf"^{name} must be finite"):
        NAN_CALLS[name](value)


def test_nan_quantity_rejected():
    with pytest.raises(ValueError, match=r"power must be finite"):
        acc.energy(Q_(math.nan, "W"), 1)
