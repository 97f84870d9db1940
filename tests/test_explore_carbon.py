"""energylab.explore.carbon: GridDayExplorer against grid.shift_job, both judged signals, deadline and figure."""
import itertools

import numpy as np
import pytest

from energylab import grid
from energylab.explore.carbon import GridDayExplorer

from helpers.explorers import full_render, pixels

E = GridDayExplorer
SPAN = slice(E.FIRST_HOUR, E.FIRST_HOUR + E.HOURS)


def _reference(region):
    average = grid.carbon_intensity_profile(region, seed=0).magnitude[SPAN]
    marginal = grid.marginal_intensity_profile(region, seed=0).magnitude[SPAN]
    return average, marginal


def _settings():
    return itertools.product(("germany", "gb", "france", "california"), (1, 6, 12), (12, 30, 48),
                             ("delay", "pause"), ("average", "marginal"))


@pytest.fixture(scope="module")
def explorer():
    return GridDayExplorer()


@pytest.mark.parametrize("region, length, deadline, mode, signal", [
    ("germany", 6, 12, "delay", "average"), ("germany", 6, 36, "pause", "marginal"),
    ("france", 4, 24, "pause", "average"), ("california", 8, 40, "delay", "marginal"),
    ("gb", 12, 48, "now", "average")])
def test_compute_matches_shift_job_on_the_same_72_hours(explorer, region, length, deadline, mode, signal):
    r = explorer.compute(region=region, length=length, deadline=deadline, mode=mode, signal=signal)
    average, marginal = _reference(region)
    np.testing.assert_allclose(r["average"], average)
    np.testing.assert_allclose(r["marginal"], marginal)
    followed = average if signal == "average" else marginal
    power = E.POWER_KW
    for name, judged in (("average", average), ("marginal", marginal)):
        ref = grid.shift_job(judged, length, deadline, power, start=E.READY_HOUR, mode=mode, decide_on=followed)
        assert r[f"{name}_job_t"] == pytest.approx(ref.emissions_shifted.to("kgCO2e").magnitude / 1e3)
        assert r[f"{name}_now_t"] == pytest.approx(ref.emissions_now.to("kgCO2e").magnitude / 1e3)
        assert r[f"{name}_saving"] == pytest.approx(ref.saving, abs=1e-12)
        np.testing.assert_array_equal(r["job_hours"], ref.shifted.hours)
        assert r["delay"] == ref.shifted.delay and r["first_hour"] == ref.shifted.hours[0]
    assert E.POWER_KW == 1000 and E.READY_HOUR + 48 <= E.HOURS     # the latest deadline fits the three days


def test_run_now_saves_nothing_on_either_signal(explorer):
    for region, length, deadline, _, signal in _settings():
        r = explorer.compute(region=region, length=length, deadline=deadline, mode="now", signal=signal)
        assert r["average_saving"] == 0 and r["marginal_saving"] == 0 and r["delay"] == 0
        np.testing.assert_array_equal(r["job_hours"], E.READY_HOUR + np.arange(length))


def test_following_a_signal_never_worsens_that_signal(explorer):
    for region, length, deadline, mode, signal in _settings():
        r = explorer.compute(region=region, length=length, deadline=deadline, mode=mode, signal=signal)
        assert r[f"{signal}_job_t"] <= r[f"{signal}_now_t"] * (1 + 1e-12)
        assert r[f"{signal}_saving"] >= -1e-12
        assert len(r["job_hours"]) == length
        assert E.READY_HOUR <= r["job_hours"][0] and r["job_hours"][-1] < E.READY_HOUR + max(length, deadline)


def test_following_the_average_can_save_less_on_the_marginal_or_add(explorer):
    # The lesson: a schedule chosen on the average is judged again on the marginal. Search Germany, ready at 18:00.
    worse, adds = [], []
    for length, deadline, mode in itertools.product(range(1, 25, 2), range(4, 49, 4), ("delay", "pause")):
        if deadline < length:
            continue
        on_avg, on_marg = (explorer.compute(region="germany", length=length, deadline=deadline, mode=mode, signal=s)
                           for s in ("average", "marginal"))
        assert on_marg["marginal_saving"] >= on_avg["marginal_saving"] - 1e-12    # the marginal's own optimum
        assert on_avg["average_saving"] >= on_marg["average_saving"] - 1e-12
        if on_marg["marginal_saving"] > on_avg["marginal_saving"] + 0.02:
            worse.append((length, deadline, mode))
        if on_avg["average_saving"] > 0.1 and on_avg["marginal_saving"] < 0:
            adds.append((length, deadline, mode))
    assert worse and adds
    # the default shows it: a 6 h job due by 06:00 saves over a third on the average and adds on the marginal
    r = GridDayExplorer().result
    assert r["region"] == "germany" and r["signal"] == "average" and r["average_saving"] > 0.3
    assert r["marginal_saving"] < 0
    assert "saves 36.8%" in GridDayExplorer().text and "adds 11.1%" in GridDayExplorer().text


def test_france_marginal_is_far_above_its_average():
    e = GridDayExplorer(region="france")
    assert e.result["marginal"].min() > 4 * e.result["average"].max()
    assert "times as much as the average" in e.text


def test_deadline_shorter_than_the_job_is_widened_and_said(explorer):
    r = explorer.compute(region="gb", length=10, deadline=3, mode="pause", signal="marginal")
    assert r["clipped"] and r["window"] == 10 and r["deadline"] == 3
    np.testing.assert_array_equal(r["job_hours"], E.READY_HOUR + np.arange(10))   # no room: it runs at once
    assert r["average_saving"] == 0 and r["marginal_saving"] == 0
    e = GridDayExplorer(length=10, deadline=3)
    assert "shorter than the job itself" in e.text and "widened to its length, 10 h" in e.text
    assert "too soon for 10 h" in e.deadline_text.get_text()
    assert not GridDayExplorer().result["clipped"] and "widened" not in GridDayExplorer().text
    e.set(deadline=5)                                                   # still too short, the figure still moves
    assert e.deadline_line.get_xdata()[0] == E.READY_HOUR + 5


def test_set_changes_artists_text_and_limits_only_with_the_region():
    e = GridDayExplorer()
    verts, text, marks = [p.vertices.copy() for p in e.job_patches.get_paths()], e.text, e.job_marks.get_xdata()
    ylim = e.ax.get_ylim()
    e.set(signal="marginal")
    assert e.text != text and "follows the marginal intensity" in e.text
    assert not np.array_equal(e.job_marks.get_xdata(), marks)
    assert [p.vertices.tolist() for p in e.job_patches.get_paths()] != [v.tolist() for v in verts]
    assert e.marginal_line.get_linewidth() > e.average_line.get_linewidth()
    e.set(deadline=30, mode="pause", length=8)
    assert e.ax.get_ylim() == ylim                                      # same region: limits untouched
    np.testing.assert_allclose(e.job_marks.get_xdata(), e.result["job_hours"] + 0.5)
    assert e.deadline_line.get_xdata()[0] == E.READY_HOUR + 30
    e.set(region="france")
    assert e.ax.get_ylim() != ylim and e.ax.get_ylim()[1] > 1.2 * e.result["marginal"].max()
    np.testing.assert_allclose(e.average_line.get_ydata()[:-1], e.result["average"])
    assert "France" in e.text and "Carbon intensity (gCO2e/kWh)" == e.ax.get_ylabel()
    assert np.mean(np.abs(pixels(e.png) - full_render(e)) > 0) < 0.01


def test_updates_within_the_same_region_are_blitted():
    e = GridDayExplorer()
    canvas, draws = e.figure.canvas, []
    plain = canvas.draw
    canvas.draw = lambda *a, **k: (draws.append(1), plain(*a, **k))
    e._render()                                            # settle the background
    draws.clear()
    for change in ({"length": 7}, {"deadline": 20}, {"mode": "pause"}, {"signal": "marginal"}, {"mode": "now"}):
        e.set(**change)
    assert draws == []
    e.set(region="california")
    assert draws == [1]
