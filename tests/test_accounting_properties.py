"""Property tests (hypothesis) of the physical invariants of energylab.accounting."""
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from energylab import accounting as acc
from energylab.units import u

from helpers import fast, reals

approx = pytest.approx


nonneg = reals(0, 1e9)          # energies (kWh), powers (kW), durations (h)
positive = reals(1e-6, 1e9)
pues = reals(1, 10)
intensities = reals(0, 2000)    # gCO2e/kWh
water = reals(0, 20)            # L/kWh
factors = reals(0, 1e3)


@fast
@given(power=nonneg, hours=nonneg)
def test_energy_is_nonnegative(power, hours):
    assert acc.energy(power, hours).magnitude >= 0


@fast
@given(e=nonneg, pue=pues)
def test_facility_energy_at_least_it_energy(e, pue):
    facility = acc.facility_energy(e, pue).magnitude
    assert facility >= e
    assert acc.overhead_energy(e, pue).magnitude >= 0
    assert acc.overhead_energy(e, pue).magnitude + e == approx(facility, rel=1e-12, abs=1e-9)


@fast
@given(e=nonneg, pue=pues)
def test_it_energy_round_trip(e, pue):
    assert acc.it_energy(acc.facility_energy(e, pue), pue).magnitude == approx(e, rel=1e-12, abs=1e-12)
    assert acc.facility_power(e, pue).magnitude == approx(acc.facility_energy(e, pue).magnitude)


@fast
@given(pue=pues)
def test_it_share_in_unit_interval(pue):
    share = acc.it_share(pue).magnitude
    assert 0 < share <= 1
    assert share * pue == approx(1)


@fast
@given(e=nonneg, intensity=intensities, k=factors)
def test_emissions_linear_in_intensity_and_energy(e, intensity, k):
    base = acc.emissions(e, intensity).magnitude
    assert base >= 0
    assert acc.emissions(e, k * intensity).magnitude == approx(k * base, rel=1e-9, abs=1e-9)
    assert acc.emissions(k * e, intensity).magnitude == approx(k * base, rel=1e-9, abs=1e-9)
    assert acc.emissions(e, 0).magnitude == 0


@fast
@given(e=nonneg, wue=water, pue=pues, offsite=water)
def test_water_total_is_sum_of_nonnegative_parts(e, wue, pue, offsite):
    w = acc.water_use(e, wue, pue=pue, water_intensity_offsite=offsite)
    assert w.on_site.magnitude >= 0 and w.off_site.magnitude >= 0
    assert w.total.magnitude == approx(w.on_site.magnitude + w.off_site.magnitude, rel=1e-12)
    assert w.total.magnitude >= w.on_site.magnitude


@fast
@given(e=nonneg)
def test_kwh_joule_round_trip(e):
    joules = (e * u.kWh).to(u.J)
    assert joules.magnitude == approx(e * 3.6e6, rel=1e-12)
    assert acc.annualise(joules, 8760).magnitude == approx(e, rel=1e-12, abs=1e-12)
    assert acc.emissions(joules, 100).magnitude == approx(acc.emissions(e, 100).magnitude, rel=1e-12)


@fast
@given(e=nonneg, pue=pues, intensity=intensities, price=reals(0, 10))
def test_mwh_gives_same_answer_as_kwh(e, pue, intensity, price):
    in_mwh = (e / 1000) * u.MWh

    def same(a, b):
        assert a.magnitude == approx(b.magnitude, rel=1e-12)

    same(acc.facility_energy(in_mwh, pue), acc.facility_energy(e, pue))
    same(acc.emissions(in_mwh, intensity), acc.emissions(e, intensity))
    same(acc.cost(in_mwh, price), acc.cost(e, price))
    same(acc.cost(e, price * 100 * u.cent / u.kWh), acc.cost(e, price))


@fast
@given(power=nonneg, hours=positive)
def test_energy_average_power_round_trip(power, hours):
    e = acc.energy(power * u.kW, hours * u.h)
    assert acc.average_power(e, hours).magnitude == approx(power, rel=1e-12, abs=1e-12)
    assert acc.energy(power * 1000 * u.W, hours * 60 * u.min).magnitude == approx(e.magnitude, rel=1e-12)


@fast
@given(power=nonneg, utilisation=reals(0, 1))
def test_annual_energy_matches_annualise(power, utilisation):
    a = acc.annual_energy(power, utilisation).magnitude
    b = acc.annualise(acc.energy(power * utilisation, 24), 24).magnitude
    assert a == approx(b, rel=1e-12, abs=1e-9)


@fast
@given(start=reals(1e-3, 1e6), end=reals(1e-3, 1e6), years=reals(1, 50))
def test_cagr_project_round_trip(start, end, years):
    # keep the yearly factor away from 0: a rate of -0.9999... loses its digits in 1 + rate
    assume(1e-3 <= end / start <= 1e3)
    rate = acc.cagr(start * u.TWh, end * u.TWh, years)
    assert rate.magnitude > -1
    assert acc.project(start * u.TWh, rate, years).to(u.TWh).magnitude == approx(end, rel=1e-9)


@fast
@given(start=reals(1e-3, 1e6), rate=reals(-0.9, 2), years=reals(0.5, 30))
def test_project_cagr_round_trip(start, rate, years):
    end = acc.project(start, rate, years)
    assume(end.magnitude > 0)
    assert acc.cagr(start, end, years).magnitude == approx(rate, rel=1e-6, abs=1e-9)


@fast
@given(it=positive, cooling=nonneg, other=nonneg)
def test_pue_from_breakdown_at_least_one(it, cooling, other):
    pue = acc.pue_from_breakdown(it * u.kWh, cooling * u.kWh, other * u.kWh).magnitude
    assert pue >= 1
    # the same breakdown as shares gives the same PUE
    total = it + cooling + other
    shares = acc.pue_from_breakdown(it / total, cooling / total, other / total).magnitude
    assert shares == approx(pue, rel=1e-9)
    # and feeding it back reproduces the facility energy
    assert acc.facility_energy(it, pue).magnitude == approx(total, rel=1e-9)


@fast
@given(st.lists(nonneg, min_size=1, max_size=8), pues)
def test_vectorised_matches_scalar(values, pue):
    arr = acc.facility_energy(np.array(values), pue).magnitude
    assert arr.shape == (len(values),)
    assert arr == approx([acc.facility_energy(v, pue).magnitude for v in values])
