"""energylab.explore.queries: QueryExplorer's de Vries default, published estimates, axis, legend, caption."""
import pytest

from energylab import accounting as acc
from energylab import sources
from energylab.explore import QueryExplorer
from energylab.units import u

from helpers.explorers import fact


def test_query_defaults_reproduce_de_vries():
    e = QueryExplorer()
    assert e.result["wh"] == pytest.approx(fact("devries_chatgpt_request_energy", "Wh"), rel=0.01)
    assert e.line.get_xdata()[0] == pytest.approx(e.result["wh"])
    assert "de Vries" in e.result["nearest"]


def test_query_compute_matches_hand_arithmetic():
    r = QueryExplorer().compute(server_kw=10.0, load=0.5, qps=2.0, pue=1.2)
    assert r["wh"] == pytest.approx(10_000 * 0.5 * 1.2 / 2 / 3600)      # W / (1/s) = J, J -> Wh
    assert r["server_wh"] == pytest.approx(r["wh"] / 1.2)
    per_hour = acc.facility_energy(acc.energy(5 * u.kW, 1 * u.h), 1.2)
    assert r["wh"] == pytest.approx(acc.per_unit(per_hour, 7200).to("Wh").magnitude)


def test_query_estimates_are_the_published_values():
    r = QueryExplorer().result
    by_id = {i: (wh, spread) for i, _, wh, spread in r["estimates"]}
    assert by_id["gemini_median_prompt_energy"][0] == pytest.approx(fact("gemini_median_prompt_energy", "Wh"))
    assert by_id["jegham_gpt4o_short_prompt_energy"] == pytest.approx(
        (fact("jegham_gpt4o_short_prompt_energy", "Wh"), fact("jegham_gpt4o_short_prompt_energy_sd", "Wh")))
    assert by_id["openai_chatgpt_query_energy"][0] == pytest.approx(fact("openai_chatgpt_query_energy", "Wh"))


def test_query_set_moves_the_line_and_widens_the_axis_for_an_off_scale_value():
    e = QueryExplorer()
    x0, text0 = e.line.get_xdata()[0], e.text
    e.set(load=0.3, pue=1.1)
    assert e.line.get_xdata()[0] == pytest.approx(x0 * 0.3 * 1.1)
    assert e.text != text0 and "30%" in e.text
    assert e.ax.get_xlim() == QueryExplorer.XLIM
    # Found by a reviewer: 0.00139 Wh was clamped to the 0.01 Wh edge and hidden on the left spine.
    e.set(server_kw=0.5, load=0.1, qps=10.0)
    wh = e.result["wh"]
    low, high = e.ax.get_xlim()
    assert wh < QueryExplorer.XLIM[0] and e.line.get_xdata()[0] == pytest.approx(wh)
    assert low < wh / 1.2 and high == QueryExplorer.XLIM[1]       # inside, clear of the spine
    assert (low, high) == QueryExplorer(server_kw=0.5, load=0.1, qps=10.0).ax.get_xlim()
    e.set(server_kw=6.5, load=1.0, qps=0.62)
    assert e.ax.get_xlim() == QueryExplorer.XLIM                 # back to the usual scale


def test_query_legend_is_where_the_line_never_goes():
    # Found by a reviewer: the animated line (drawn over everything in the axes) cut the legend text.
    e = QueryExplorer()
    renderer = e.figure.canvas.get_renderer()
    legend = e.ax.get_legend().get_window_extent(renderer)
    axes = e.ax.get_window_extent(renderer)
    assert legend.y1 < axes.y0                                  # below the axes: the line is clipped to them
    assert e.figure.bbox.x0 <= legend.x0 and legend.x1 <= e.figure.bbox.x1
    assert [t.get_text() for t in e.ax.get_legend().get_texts()][-1] == "your assumptions"


def test_query_widget_updates_the_figure():
    e = QueryExplorer()
    server, load, qps, pue, image, caption = e.widget.children
    png0, caption0 = image.value, caption.value
    qps.value = 5.0
    assert e.values["qps"] == 5.0 and image.value != png0 and caption.value != caption0


# ---- review fixes: labels, steps and unchecked values ---------------------------------------


def test_query_unchecked_estimates_are_marked_and_not_the_lowest():
    r = QueryExplorer().result
    unchecked = [(i, label) for i, label, _, _ in r["estimates"] if sources.get(i).status == "M"]
    assert all("not checked" in label for _, label in unchecked)
    assert all("not checked" not in label for i, label, _, _ in r["estimates"]
               if sources.get(i).status != "M")
    # the caption's "lowest" is the lowest CHECKED chatbot figure, named
    assert r["ratio_low"] == pytest.approx(r["wh"] / fact("gemini_median_prompt_energy", "Wh"))
    assert "full serving stack" in r["low"] and "de Vries" in r["high"]
    assert "lowest checked" in QueryExplorer().text


def test_query_nearest_unchecked_estimate_carries_its_caveat():
    e = QueryExplorer(load=0.1, qps=10.0)
    narrow = sources.get("gemini_narrow_boundary_prompt_energy")
    assert "accelerators only" in e.result["nearest"]
    assert ("not checked" in e.result["nearest"]) == (narrow.status == "M")   # the caveat follows the registry
