"""energylab.grid: hourly profiles, average vs marginal intensity, carbon-aware scheduling."""
import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from energylab import grid
from energylab.units import u


def mag(q, unit=None):
    return np.asarray(q.to(unit).magnitude if unit else q.magnitude)


def test_doctests_pass():
    result = doctest.testmod(grid)
    assert result.failed == 0 and result.attempted > 0


# --- marginal intensity -----------------------------------------------------------------------------------

def test_marginal_is_flatter_than_average_and_above_it_on_a_low_carbon_grid():
    for region in ("germany", "gb", "france"):
        avg = mag(grid.carbon_intensity_profile(region), "gCO2e/kWh")
        marg = mag(grid.marginal_intensity_profile(region), "gCO2e/kWh")
        assert np.std(marg) / np.mean(marg) < np.std(avg) / np.mean(avg)
    france_avg = mag(grid.carbon_intensity_profile("france"))
    france_marginal = mag(grid.marginal_intensity_profile("france"))
    assert france_marginal.mean() > 5 * france_avg.mean()        # gas at the margin of a nuclear grid


def test_marginal_follows_the_plants_at_the_margin():
    gas = grid._fact("ipcc_gas_cc_lifecycle_intensity", "gCO2e/kWh")
    coal = grid._fact("ipcc_coal_lifecycle_intensity", "gCO2e/kWh")
    gb = mag(grid.marginal_intensity_profile("gb"))
    assert gb.mean() == pytest.approx(gas, rel=0.01)
    de = mag(grid.marginal_intensity_profile("germany")).reshape(365, 24)
    assert de[:, 2].mean() == pytest.approx(0.5 * coal + 0.5 * gas, rel=0.01)      # night
    assert de[:, 12].mean() == pytest.approx(0.2 * coal + 0.8 * gas, rel=0.01)     # day
    ca = mag(grid.marginal_intensity_profile("california")).reshape(365, 24)
    assert np.all(ca[60:150, 10:15] == 0) and np.all(ca[200:, 10:15] > 0)


def test_average_and_marginal_signals_disagree_on_when_to_run_in_germany():
    avg = mag(grid.carbon_intensity_profile("germany")).reshape(365, 24).mean(0)
    marg = mag(grid.marginal_intensity_profile("germany")).reshape(365, 24).mean(0)
    assert 9 <= int(np.argmin(avg)) <= 13           # midday solar on the average
    assert 6 <= int(np.argmin(marg)) <= 21           # gas, not coal, at the margin by day


# --- scheduling ---------------------------------------------------------------------------------------

def test_schedule_examples():
    signal = [5, 4, 1, 1, 3, 2]
    assert grid.schedule_job(signal, 2, 6, mode="now").hours.tolist() == [0, 1]
    assert grid.schedule_job(signal, 2, 6, mode="delay").hours.tolist() == [2, 3]
    assert grid.schedule_job(signal, 3, 6, mode="delay").hours.tolist() == [2, 3, 4]
    assert grid.schedule_job(signal, 3, 6, mode="pause").hours.tolist() == [2, 3, 5]
    job = grid.schedule_job(signal, 2, 5, start=1, mode="delay")
    assert job.hours.tolist() == [2, 3] and job.delay == 1 and job.finish == 4


def test_job_emissions_in_kg():
    job = grid.schedule_job([100, 200, 300], 2, 3, mode="now")
    assert mag(grid.job_emissions(job, 10 * u.kW, [100, 200, 300] * u.gCO2e / u.kWh), "kgCO2e") == \
        pytest.approx(10 * (100 + 200) / 1000)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 50), region=st.sampled_from(sorted(grid.GRID_REGIONS)), duration=st.integers(1, 30),
       slack=st.integers(0, 48), start=st.integers(0, 100))
def test_scheduling_is_never_worse_than_running_now(seed, region, duration, slack, start):
    ci = grid.carbon_intensity_profile(region, seed=seed, hours=24 * 10)
    now, delay, pause = (grid.shift_job(ci, duration, duration + slack, start=start, mode=m).emissions_shifted
                         for m in ("now", "delay", "pause"))
    assert mag(pause) <= mag(delay) * (1 + 1e-12) and mag(delay) <= mag(now) * (1 + 1e-12)
    job = grid.schedule_job(ci, duration, duration + slack, start=start, mode="pause")
    assert len(job.hours) == duration and job.hours[0] >= start and job.finish <= start + duration + slack


def test_choosing_on_the_average_can_raise_marginal_emissions():
    avg = grid.carbon_intensity_profile("germany", hours=24 * 30)
    marg = grid.marginal_intensity_profile("germany", hours=24 * 30)
    on_avg = grid.shift_job(marg, 4, 24, start=18, mode="delay", decide_on=avg)      # ready at 18:00
    on_marg = grid.shift_job(marg, 4, 24, start=18, mode="delay")
    assert on_avg.saving < on_marg.saving
    assert on_marg.saving >= 0


def test_region_choice_beats_time_shifting():
    regions = {r: grid.carbon_intensity_profile(r, hours=24 * 7) for r in ("germany", "gb", "france")}
    ranked = grid.compare_regions(regions, 12, 48)
    assert list(ranked)[0] == "france"
    shifted_de = grid.shift_job(regions["germany"], 12, 48, mode="pause")
    assert mag(ranked["france"]) < mag(shifted_de.emissions_shifted) * 0.5


@pytest.mark.parametrize("call, error, words", [
    (lambda: grid.schedule_job([1, 2, 3], 4, 3), ValueError, "window must be at least"),
    (lambda: grid.schedule_job([1, 2, 3], 1.5, 3), ValueError, "duration"),
    (lambda: grid.schedule_job([1, 2, 3], 2, 3, mode="later"), ValueError, "mode"),
    (lambda: grid.schedule_job([1, 2, 3], 2, 5), ValueError, "signal has 3 hours"),
    (lambda: grid.schedule_job([[1, 2]], 1, 1), ValueError, "1-D"),
    (lambda: grid.schedule_job([1, np.nan], 1, 1), ValueError, "finite"),
    (lambda: grid.schedule_job([1, 2], "2", 2), TypeError, "duration"),
    (lambda: grid.job_emissions("now", 1, [1]), TypeError, "Schedule"),
    (lambda: grid.job_emissions(grid.schedule_job([1, 2], 1, 2), 1 * u.kg, [1, 2]), TypeError, "power"),
    (lambda: grid.compare_regions({}, 1), TypeError, "profiles"),
    (lambda: grid.marginal_intensity_profile("mars"), ValueError, "'germany'"),
    (lambda: grid.shift_job("abc", 4, 24), TypeError, "intensity must be hourly"),
    (lambda: grid.shift_job(np.ones(48) * u.kW, 4, 24), TypeError, "48 values in kW"),
    (lambda: grid.shift_job(np.ones(48), 4, 24, decide_on=np.ones(24)), ValueError, "decide_on"),
])
def test_bad_input_is_named(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_assumptions_state_the_margin():
    value, why = grid.GRID_ASSUMPTIONS["margin"]
    assert "gas" in value and "coal" in value and why
