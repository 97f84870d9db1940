"""energylab.explore.training: TrainingBudgetExplorer against models, its curves, loss axis, legend, table."""
import math

import matplotlib
import numpy as np
import pytest

from energylab import accounting as acc
from energylab import models
from energylab.explore import TrainingBudgetExplorer
from energylab.units import u

from helpers.explorers import fact, full_render, pixels


def test_budget_defaults_come_from_sources():
    c = TrainingBudgetExplorer.controls
    assert 10 ** c["log_compute"].default == pytest.approx(fact("chinchilla_training_compute", "FLOP"))
    assert c["utilisation"].default == pytest.approx(fact("palm_model_flops_utilisation", ""))
    assert c["pue"].default == pytest.approx(fact("google_fleet_pue", ""))
    assert c["intensity"].default == pytest.approx(fact("us_grid_intensity_patterson", "gCO2e/kWh"))
    assert c["price"].default == pytest.approx(fact("us_industrial_electricity_price_2023", "cent/kWh"))
    assert set(c["accelerator"].options) == {"V100", "A100", "H100", "TPU v3", "TPU v4"}


def test_budget_compute_matches_hand_arithmetic():
    r = TrainingBudgetExplorer().compute(log_compute=24.0, accelerator="H100", utilisation=0.5, pue=1.2,
                                         intensity=400.0, price=10.0, fit="both")
    peak, power = 989.4e12, 700.0                                    # H100 SXM dense bf16, TDP
    seconds = 1e24 / (peak * 0.5)                                   # accelerator-seconds
    kwh = seconds * power * 1.2 / 3.6e6
    assert r["compute"] == pytest.approx(1e24)
    assert r["energy_mwh"] == pytest.approx(kwh / 1e3)
    assert r["emissions_t"] == pytest.approx(kwh * 400 / 1e6)       # g -> t
    assert r["cost_usd"] == pytest.approx(kwh * 0.10)
    assert r["days"] == pytest.approx(seconds / 1000 / 86400)       # on N_ACCELERATORS = 1,000
    assert r["accelerator_hours"] == pytest.approx(seconds / 3600)
    # the 20:1 rule: N = sqrt(C / 120)
    assert r["rule"]["n"] == pytest.approx(math.sqrt(1e24 / 120))
    assert r["rule"]["d"] == pytest.approx(20 * math.sqrt(1e24 / 120))


def test_budget_compute_matches_models():
    e = TrainingBudgetExplorer()
    r = e.compute(log_compute=23.5, accelerator="V100", utilisation=0.3, pue=1.5, intensity=300.0, price=5.0,
                  fit="both")
    energy = models.energy_for_flops(10 ** 23.5, "V100", "fp16", utilisation=0.3, pue=1.5)   # V100: fp16 peak
    assert r["precision"] == "fp16"
    assert r["energy_mwh"] == pytest.approx(energy.to("MWh").magnitude)
    assert r["emissions_t"] == pytest.approx(acc.emissions(energy, 300).to("tCO2e").magnitude)
    assert r["cost_usd"] == pytest.approx(acc.cost(energy, 5 * u.cent / u.kWh).to("USD").magnitude)
    hours = models.training_time(10 ** 23.5, 1000, models.accelerator("V100").peak_flops["fp16"], 0.3)
    assert r["days"] == pytest.approx(hours.to("day").magnitude)
    for fit in models.FITS:
        best = models.fitted_optimal(10 ** 23.5, fit=fit)
        assert r["optima"][fit]["n"] == pytest.approx(best.n_params.to("param").magnitude)
        assert r["optima"][fit]["d"] == pytest.approx(best.n_tokens.to("token").magnitude)
        curve = models.iso_flop_curve(10 ** 23.5, e.N_GRID, fit=fit).loss.magnitude
        np.testing.assert_allclose(r["curves"][fit], curve)
        # the optimum is the bottom of the curve
        assert r["optima"][fit]["loss"] <= curve.min() + 1e-9


def test_budget_at_chinchilla_shows_the_disagreement():
    r = TrainingBudgetExplorer().result
    hoffmann, besiroglu = r["optima"]["hoffmann2022"], r["optima"]["besiroglu2024"]
    assert hoffmann["n"] < 0.6 * besiroglu["n"]
    assert hoffmann["tokens_per_param"] > 3 * besiroglu["tokens_per_param"]
    assert besiroglu["n"] == pytest.approx(r["rule"]["n"], rel=0.1)     # the refit is close to the rule
    assert "Hoffmann" in TrainingBudgetExplorer().text and "Besiroglu" in TrainingBudgetExplorer().text


def test_budget_energy_does_not_depend_on_the_fit_or_split():
    e = TrainingBudgetExplorer()
    a = e.compute(**{**e.values, "fit": "hoffmann2022"})
    b = e.compute(**{**e.values, "fit": "besiroglu2024"})
    assert a["energy_mwh"] == b["energy_mwh"] and a["days"] == b["days"]


def test_budget_set_moves_curves_markers_and_text():
    e = TrainingBudgetExplorer()
    y0 = e.lines["hoffmann2022"].get_ydata().copy()
    x0 = e.markers["besiroglu2024"].get_xdata()[0]
    energy0, text0 = e.values_text["energy"].get_text(), e.text
    e.set(log_compute=25.0)
    assert not np.allclose(e.lines["hoffmann2022"].get_ydata(), y0)
    assert e.markers["besiroglu2024"].get_xdata()[0] > x0
    assert e.rule_line.get_xdata()[0] == pytest.approx(e.result["rule"]["n"])
    assert e.values_text["energy"].get_text() != energy0 and e.text != text0
    lo, hi = e.ax.get_ylim()
    assert lo <= min(o["loss"] for o in e.result["optima"].values()) <= hi
    assert "1.00e25 FLOP" in e.text


def test_budget_utilisation_changes_energy_not_curves():
    e = TrainingBudgetExplorer()
    y0 = e.lines["hoffmann2022"].get_ydata().copy()
    energy0 = e.result["energy_mwh"]
    e.set(utilisation=e.values["utilisation"] / 2)
    np.testing.assert_array_equal(e.lines["hoffmann2022"].get_ydata(), y0)
    assert e.result["energy_mwh"] == pytest.approx(2 * energy0)


def test_budget_fit_choice_hides_the_other_curve():
    e = TrainingBudgetExplorer()
    assert e.lines["hoffmann2022"].get_visible() and e.lines["besiroglu2024"].get_visible()
    e.set(fit="besiroglu2024")
    assert not e.lines["hoffmann2022"].get_visible() and not e.markers["hoffmann2022"].get_visible()
    assert e.lines["besiroglu2024"].get_visible()
    assert "Hoffmann" not in e.text and "Besiroglu" in e.text
    assert e.values_text["hoffmann2022"].get_text() == "(hidden)"


def test_budget_caption_names_the_power_basis_and_the_rounded_fit():
    a100 = TrainingBudgetExplorer()                           # the default chip has a TDP
    assert a100.result["power_basis"] == "TDP" and "W each (TDP)" in a100.text
    tpu = TrainingBudgetExplorer(accelerator="TPU v4")        # Google publishes measured power only
    assert tpu.result["power_basis"] == "measured maximum"
    assert tpu.result["power_w"] == pytest.approx(fact("tpu_v4_measured_max_power", "W"))
    assert "(measured maximum, not a TDP)" in tpu.text
    # the Hoffmann fit is drawn with the constants as printed; the caption says they are rounded
    assert "rounded" in a100.text
    assert "rounded" not in TrainingBudgetExplorer(fit="besiroglu2024").text


def count_full_draws(explorer) -> list:
    """Record the explorer's full redraws (canvas.draw); blitted updates do not call it."""
    calls, draw = [], explorer.figure.canvas.draw
    explorer.figure.canvas.draw = lambda *a, **k: (calls.append(1), draw(*a, **k))[1]
    return calls


def test_budget_loss_axis_rescales_only_when_the_curves_leave_it():
    e = TrainingBudgetExplorer()
    assert e.ax.get_ylim() == e.LOSS_RANGE
    e.set(utilisation=0.4)                         # (the first update after building always redraws all)
    draws = count_full_draws(e)
    e.set(utilisation=0.3)
    e.set(log_compute=24.5)                        # curves stay inside: blitted, axis kept
    assert e.ax.get_ylim() == e.LOSS_RANGE and not draws
    e.set(log_compute=20.0)                        # the curves climb far above 3.7 at large N
    highest = {fit: e.result["curves"][fit].max() for fit in models.FITS}
    lo, hi = e.ax.get_ylim()
    assert lo == e.LOSS_RANGE[0] and max(highest.values()) <= hi <= 1.25 * max(highest.values())
    assert len(draws) == 1
    e.set(log_compute=20.01)                       # a small drag keeps the rounded axis
    assert e.ax.get_ylim() == (lo, hi) and len(draws) == 1
    assert np.mean(np.abs(pixels(e.png) - full_render(e)) > 0) < 0.005
    e.set(fit="hoffmann2022")                      # only the drawn curve sets the axis
    assert highest["hoffmann2022"] <= e.ax.get_ylim()[1] < highest["besiroglu2024"]
    e.set(log_compute=24.0)                        # back inside the default range
    assert e.ax.get_ylim() == e.LOSS_RANGE


def test_budget_legend_lists_only_the_drawn_fits():
    e = TrainingBudgetExplorer()

    def labels():
        return [t.get_text() for t in e.panel.get_legend().get_texts()]
    rule = f"rule of thumb: {e.result['rule']['tokens_per_param']:.0f} tokens per parameter"
    assert labels() == ["Hoffmann et al. 2022 fit", "Besiroglu et al. 2024 fit", rule]
    e.set(fit="hoffmann2022")
    assert labels() == ["Hoffmann et al. 2022 fit", rule]
    handle = e.panel.get_legend().legend_handles[0]
    assert handle.get_color() == e.lines["hoffmann2022"].get_color()
    e.set(fit="besiroglu2024")
    assert labels() == ["Besiroglu et al. 2024 fit", rule]
    e.set(fit="both")
    assert len(labels()) == 3
    assert len([a for a in e.panel.get_children() if isinstance(a, matplotlib.legend.Legend)]) == 1


def test_budget_table_and_caption_write_large_and_small_numbers_without_exponents():
    e = TrainingBudgetExplorer(log_compute=26, utilisation=0.05, pue=2, price=40, accelerator="V100")
    r = e.result
    rows = {key: text.get_text() for key, text in e.values_text.items()}
    assert rows["cost"] == f"{r['cost_usd'] / 1e9:.3g} billion"                # 1.07 billion, not 1.07e9
    assert rows["energy"] == f"{r['energy_mwh'] / 1e6:.4g} million"
    assert rows["emissions"] == f"{r['emissions_t'] / 1e6:.3g} million"
    assert rows["days"] == f"{round(r['days'], -3):,.0f}"                          # 185,000: three digits
    assert f"costs {rows['cost']} USD" in e.text and f"uses {rows['energy']} MWh" in e.text
    run = e.text[e.text.index("the run uses"):]
    tiny = TrainingBudgetExplorer(log_compute=20, utilisation=1.0, pue=1.0, intensity=1, accelerator="H100")
    assert tiny.result["emissions_t"] < 1e-4
    small = tiny.values_text["emissions"].get_text()
    assert float(small) == pytest.approx(tiny.result["emissions_t"], rel=0.01)
    for text in (*rows.values(), run, small, tiny.text[tiny.text.index("the run uses"):]):
        assert not __import__("re").search(r"\de[+-]?\d", text), text


def test_budget_widget_updates_the_figure():
    e = TrainingBudgetExplorer()
    children = e.widget.children
    names = list(e.controls)
    image, caption = children[len(names)], children[len(names) + 1]
    png0, caption0 = image.value, caption.value
    children[names.index("accelerator")].value = "H100"
    assert e.last_error is None and e.values["accelerator"] == "H100"
    assert image.value != png0 and caption.value != caption0 and "H100" in caption.value
    children[names.index("log_compute")].value = 22.0
    assert e.values["log_compute"] == 22.0 and "1.00e22 FLOP" in caption.value
