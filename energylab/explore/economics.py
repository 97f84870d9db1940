"""Chapter 07's economics explorers: what an H100 costs to own, joules per token in dollars and grams, rebound.

* :class:`OwnershipExplorer` — electricity price, utilisation, PUE and the facility's recovery period move the cost
  of each *used* GPU-hour (capital, facility, electricity) and electricity's share of the cost of ownership
  (:func:`energylab.economics.h100_ownership`), beside the registry's derived 5-year shares.
* :class:`TokenChainExplorer` — the chain from IT joules per token to USD per million tokens (electricity and
  capital) and gCO2e per 1,000 tokens on a few grids (:func:`energylab.economics.token_cost`).
* :class:`ReboundExplorer` — an efficiency gain k, a price elasticity of demand ε and electricity's share of the
  price s give total energy after ÷ before, and the elasticity above which it backfires
  (:func:`energylab.economics.rebound_effect`, :func:`energylab.economics.backfire_elasticity`)::

    from energylab.explore import OwnershipExplorer, ReboundExplorer
    OwnershipExplorer(utilisation=0.3)        # last line of a cell: controls + figure
    ReboundExplorer(k=4).result["energy"]

Every number shown comes from :mod:`energylab.economics` or :mod:`energylab.sources`; the course assumptions of
the cost of ownership are quoted from :data:`energylab.economics.OWNERSHIP_ASSUMPTIONS`. The curves are cached
per setting (``functools.lru_cache``), every changing artist is animated and the axis limits are fixed, or move in
whole steps, so that most updates only redraw the artists.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np

from .base import Choice, Explorer, LogSlider, Slider, SourcedControls

__all__ = ["OwnershipExplorer", "TokenChainExplorer", "ReboundExplorer"]

#: Step of the electricity-price sliders, US¢/kWh, and their range.
PRICE_STEP = 0.5
PRICE_RANGE = (2.0, 40.0)
#: Prices along the share curve of :class:`OwnershipExplorer`: the slider's range in its steps.
PRICES = np.linspace(PRICE_RANGE[0], PRICE_RANGE[1], int(round((PRICE_RANGE[1] - PRICE_RANGE[0]) / PRICE_STEP)) + 1)
#: Elasticities along the curve of :class:`ReboundExplorer`: the slider's range.
ELASTICITIES = np.linspace(0.0, 3.0, 121)
#: Grids of :class:`TokenChainExplorer`: (short name, fact id).
GRIDS = (("World", "world_grid_intensity_2022"), ("US", "us_grid_intensity_patterson"),
         ("Germany", "germany_grid_intensity_mean_2020"), ("France", "france_grid_intensity_mean_2020"))
#: Tops of the cost axis of :class:`OwnershipExplorer`, USD/h: the smallest that holds the bar is used.
COST_TOPS = (2.0, 4.0, 8.0, 16.0)
_PARTS = ("capital", "facility", "electricity")


def _readonly(array) -> np.ndarray:
    array = np.array(array, dtype=float)
    array.flags.writeable = False
    return array


@lru_cache(maxsize=1)
def _default_price() -> float:
    """The US industrial average of 2023 (EIA), US¢/kWh, rounded to the slider's step."""
    from .. import sources
    return round(sources.number("us_industrial_electricity_price_2023", "cent/kWh") / PRICE_STEP) * PRICE_STEP


@lru_cache(maxsize=1)
def _price_fact() -> tuple:
    """(US industrial price 2023 in US¢/kWh, its citation)."""
    from .. import sources
    fact = sources.get("us_industrial_electricity_price_2023")
    return float(fact.q.to("cent/kWh").magnitude), fact.cite()


@lru_cache(maxsize=1)
def _accelerator_years() -> int:
    """The accelerator's depreciation period, years: :func:`~energylab.economics.cost_of_ownership`'s default."""
    from .. import sources
    return int(round(sources.number("depreciation_amazon_2025", "year")))


def _ownership(price, utilisation, pue, facility_years):
    """:func:`energylab.economics.h100_ownership` for plain numbers (US¢/kWh, fraction, –, years)."""
    from .. import economics
    from ..units import Q_
    return economics.h100_ownership(Q_(price, "cent/kWh"), utilisation=utilisation, pue=pue,
                                    facility_years=Q_(facility_years, "year"))


@lru_cache(maxsize=512)
def _share_curve(utilisation: float, pue: float, facility_years: float) -> np.ndarray:
    """Electricity's share of the cost of ownership, percent, at every price of :data:`PRICES`."""
    tco = _ownership(PRICES, utilisation, pue, facility_years)
    return _readonly(tco.energy_share.to("percent").magnitude)


@lru_cache(maxsize=1)
def _registry_shares() -> tuple:
    """The registry's derived 5-year shares: ((price US¢/kWh, low %, high %), ...), and their citation.

    The 15 ¢ row is left out: it is the answer of chapter 07's exercise ``tco_energy_share``.
    """
    from .. import sources
    rows, cite = [], ""
    for fact_id in ("h100_electricity_share_tco_8c", "h100_electricity_share_tco_30c"):
        low, high = sources.value(fact_id, "percent").magnitude
        rows.append((float(re.search(r"_(\d+)c$", fact_id).group(1)), float(low), float(high)))
        cite = sources.get(fact_id).cite()
    return tuple(rows), cite


@lru_cache(maxsize=1)
def _registry_curve() -> np.ndarray:
    """The share curve under the registry facts' conditions: busy all year, the central PUE, the accelerator's
    own period for the facility (:func:`~energylab.economics.h100_ownership`'s defaults)."""
    from .. import economics
    return _share_curve(1.0, float(economics.H100_CENTRAL["pue"]), float(_accelerator_years()))


def _dollars(x: float) -> str:
    return f"{x:.2f}" if x >= 0.1 else f"{x:.3f}"


class OwnershipExplorer(Explorer):
    """What one H100 costs per hour, and how much of it is electricity.

    Controls (plain numbers in the units shown):

    * ``price`` — electricity price, US¢/kWh, 2–40 in steps of 0.5. Default: the US industrial average of 2023
      (``us_industrial_electricity_price_2023``, EIA) rounded to the step.
    * ``utilisation`` — share of the hours the accelerator is busy, 10–100 %. Default 100 %: the library's own
      default and the condition of the registry's derived shares (8,760 h a year), so the figure opens where the
      registry's numbers are; lowering it shows what idle hours cost (an upper bound on use, so the cheapest
      used hour).
    * ``pue`` — site PUE, 1.05–2.0. Default: the course's central PUE (``OWNERSHIP_ASSUMPTIONS["pue"]``).
    * ``facility_years`` — years over which the facility's capex is recovered, 5–20. Default: the accelerator's
      own depreciation period (``depreciation_amazon_2025``), as ``OWNERSHIP_ASSUMPTIONS["facility_life"]``.

    The capital, IT power and idle power are the course's central H100 (:data:`~energylab.economics.H100_CENTRAL`,
    :data:`~energylab.economics.OWNERSHIP_ASSUMPTIONS`). Left: the cost per hour of the year and per *used* hour,
    stacked by part. Right: electricity's share of the cost of ownership against the price at the current settings,
    beside the same curve busy all year at the central PUE and the registry's derived 5-year shares.
    """

    title = "What an H100 costs to own"
    figsize = (8.4, 3.8)
    tight_layout = False

    @SourcedControls
    def controls(cls):
        from .. import economics
        return {
            "price": Slider("Electricity price", PRICE_RANGE[0], PRICE_RANGE[1], PRICE_STEP, _default_price(),
                            unit="US¢/kWh", fmt="{:.1f}"),
            "utilisation": Slider("Utilisation (hours busy)", 0.1, 1.0, 0.05, 1.0, fmt="{:.0%}"),
            "pue": Slider("PUE", 1.05, 2.0, 0.05, float(economics.H100_CENTRAL["pue"]), fmt="{:.2f}"),
            "facility_years": Slider("Facility recovered over", 5, 20, 1, _accelerator_years(), unit="years",
                                     fmt="{:.0f}"),
        }

    # ---- model ---------------------------------------------------------------------------------
    def compute(self, price, utilisation, pue, facility_years):
        """Cost per used hour by part (USD/h), the energy share and its curve over the price range (pure)."""
        tco = _ownership(float(price), float(utilisation), float(pue), float(facility_years))
        hours = 8760.0 * float(utilisation)      # used hours per year
        per_year = {part: float(getattr(tco, part).to("USD/year").magnitude) for part in _PARTS}
        used = {part: value / hours for part, value in per_year.items()}
        share = float(tco.energy_share.to("percent").magnitude)
        rows, cite = _registry_shares()
        return {"price": float(price), "utilisation": float(utilisation), "pue": float(pue),
                "facility_years": int(facility_years), "years": float(tco.years),
                "parts": used, "per_used_hour": float(tco.per_used_hour.to("USD/h").magnitude),
                "per_hour": float(tco.per_hour.to("USD/h").magnitude),
                "share": share, "dominant": max(used, key=used.get),
                "prices": PRICES, "shares": _share_curve(float(utilisation), float(pue), float(facility_years)),
                "registry": rows, "registry_cite": cite}

    # ---- figure --------------------------------------------------------------------------------
    def draw(self, fig, result):
        from .. import economics
        from ..plotting import PALETTE, axis_label
        colours = {"capital": PALETTE["blue"], "facility": PALETTE["sky_blue"], "electricity": PALETTE["orange"]}
        self.ax_c, self.ax_s = fig.subplots(1, 2, gridspec_kw={"width_ratios": (1, 1.35)})
        fig.subplots_adjust(left=0.085, right=0.98, top=0.88, bottom=0.15, wspace=0.28)
        fig.suptitle(self.title, fontsize=12)
        ax = self.ax_c
        self.bars = {part: ax.bar([0, 1], [0, 0], 0.6, color=colours[part], label=part, animated=True)
                     for part in _PARTS}
        self.totals = [ax.text(x, 0, "", ha="center", va="bottom", fontsize=8.5, animated=True) for x in (0, 1)]
        ax.set_xticks([0, 1], ["per hour\nof the year", "per used\nhour"])
        ax.set_xlim(-0.5, 2.75)
        ax.grid(axis="x", visible=False)
        ax.set_ylabel(axis_label("Cost of one H100", "USD/h"))
        ax.legend(handles=[self.bars[p] for p in reversed(_PARTS)], loc="upper right", fontsize=8)
        ax.set_ylim(0, self._cost_top(result))

        ax = self.ax_s
        (self.reference,) = ax.plot(PRICES, _registry_curve(), color="0.6", lw=1.2, ls="--",
                                    label=f"busy all year, PUE {economics.H100_CENTRAL['pue']:g}, "
                                          f"facility over {_accelerator_years()} y")
        prices, lows, highs = (np.array(c) for c in zip(*result["registry"]))
        ax.errorbar(prices, (lows + highs) / 2, yerr=(highs - lows) / 2, fmt="none", ecolor=PALETTE["black"],
                    elinewidth=2.5, capsize=4, label="registry's derived 5-year shares")
        (self.curve,) = ax.plot(PRICES, result["shares"], color=PALETTE["orange"], label="these settings",
                                animated=True)
        (self.point,) = ax.plot([], [], marker="o", ms=8, ls="none", color=PALETTE["vermillion"], animated=True)
        self.share_text = ax.text(0.98, 0.04, "", transform=ax.transAxes, ha="right", fontsize=9, animated=True)
        ax.set_xlim(0, PRICE_RANGE[1] + 1)
        ax.set_ylim(0, 50)
        ax.set(xlabel=axis_label("Electricity price", "US¢/kWh"),
               ylabel="Electricity's share of the cost (%)")
        ax.legend(loc="upper left", fontsize=8)
        self.update(result)

    @staticmethod
    def _cost_top(result) -> float:
        need = 1.15 * result["per_used_hour"]
        return next((top for top in COST_TOPS if top >= need), math.ceil(need))

    def update(self, result):
        scale = np.array([result["utilisation"], 1.0])      # per hour of the year = per used hour × utilisation
        bottom = np.zeros(2)
        for part in _PARTS:
            heights = result["parts"][part] * scale
            for rect, y, h in zip(self.bars[part], bottom, heights):
                rect.set_y(y)
                rect.set_height(h)
            bottom = bottom + heights
        for text, total in zip(self.totals, bottom):
            text.set_position((text.get_position()[0], total))
            text.set_text(f"{total:.2f}")
        top = self._cost_top(result)
        if self.ax_c.get_ylim() != (0.0, top):
            self.ax_c.set_ylim(0, top)
        self.curve.set_ydata(result["shares"])
        self.point.set_data([result["price"]], [result["share"]])
        self.share_text.set_text(f"{result['share']:.1f}% at {result['price']:.1f} US¢/kWh")

    def describe(self, result):
        r = result
        parts = ", ".join(f"{part} USD {_dollars(r['parts'][part])}" for part in _PARTS)
        registry = ", ".join(f"{lo:g}–{hi:g}% at {p:g} US¢" for p, lo, hi in r["registry"])
        return (f"At {r['price']:.1f} US¢/kWh, {r['utilisation']:.0%} of the hours busy, PUE {r['pue']:.2f} and the "
                f"facility recovered over {r['facility_years']} years, one H100 costs USD {r['per_used_hour']:.2f} "
                f"per used hour (USD {r['per_hour']:.2f} per hour of the year): {parts}; electricity is "
                f"{r['share']:.1f}% of the cost of ownership and the {r['dominant']} dominates. The registry's "
                f"5-year shares, derived for a GPU busy all year at the central PUE: {registry}/kWh.")


# ---- from joules per token to dollars and grams --------------------------------------------------------------
@lru_cache(maxsize=1)
def _scenario_defaults() -> tuple:
    """(IT J/token, token/s per accelerator) of the course's roofline scenario at its batch, for a 500-token answer.

    :func:`energylab.inference.scenario_energy_per_token` at ``COURSE_ASSUMPTIONS["batch_size"]`` and half the
    answer as mean context, divided by the scenario's PUE; the throughput is the power one accelerator draws
    (``epoch_power_per_gpu`` × ``epoch_power_fraction``) over that energy, so that the two agree.
    """
    from .. import sources
    from ..inference import COURSE_ASSUMPTIONS, ROOFLINE_SCENARIO, scenario_energy_per_token
    context = sources.number(ROOFLINE_SCENARIO["tokens_out"], "token") / 2
    meter = float(scenario_energy_per_token(COURSE_ASSUMPTIONS["batch_size"][0], context).to("J/token").magnitude)
    it = meter / sources.number(ROOFLINE_SCENARIO["pue"])
    watts = sources.number(ROOFLINE_SCENARIO["power"], "W") * sources.number(ROOFLINE_SCENARIO["power_fraction"])
    return float(f"{it:.3g}"), float(f"{watts / it:.3g}")


@lru_cache(maxsize=1)
def _hourly_capital() -> float:
    """Capital and facility cost of the central H100 per hour of the year, USD/h (no electricity)."""
    from .. import economics
    return float(economics.capital_per_hour(economics.h100_ownership()).to("USD/h").magnitude)


@lru_cache(maxsize=1)
def _intensities() -> tuple:
    """Carbon intensity of each grid of :data:`GRIDS`, gCO2e/kWh, and its citation."""
    from .. import sources
    return tuple((name, fact_id, sources.number(fact_id, "gCO2e/kWh"), sources.get(fact_id).cite())
                 for name, fact_id in GRIDS)


def _grid_label(name, fact_id) -> str:
    from .. import sources
    fact = sources.get(fact_id)
    year = f", {fact.year}" if getattr(fact, "year", None) else ""
    return f"{name}{year}: {fact.q.to('gCO2e/kWh').magnitude:.0f} gCO2e/kWh ({fact.cite()})"


class TokenChainExplorer(Explorer):
    """USD per million tokens (electricity + capital) and gCO2e per 1,000 tokens from the joules per token.

    Controls (plain numbers in the units shown):

    * ``energy`` — IT energy per generated token, J/token, 0.01–10. Default: the course's roofline scenario
      (:func:`energylab.inference.scenario_energy_per_token` at its batch of 32 for a 500-token answer) without
      its PUE.
    * ``throughput`` — tokens per second one accelerator generates while busy, 100–20,000. Default: the same
      scenario's, the power one accelerator draws in it over the energy per token (so the pair is consistent).
    * ``utilisation`` — share of the hours the accelerator serves, 10–100 %. Default 100 %, the library's default
      (idle hours still cost capital).
    * ``price`` — electricity price, US¢/kWh. Default as in :class:`OwnershipExplorer`.
    * ``grid`` — one of the registry's grid intensities (:data:`GRIDS`); the figure shows all four.
    * ``pue`` — site PUE. Default: the course's central PUE (``OWNERSHIP_ASSUMPTIONS["pue"]``).

    The capital per hour is the central H100's (:func:`energylab.economics.capital_per_hour` of
    :func:`energylab.economics.h100_ownership`). The x axes are logarithmic: the parts differ by orders of
    magnitude.
    """

    title = "From joules per token to dollars and grams"
    figsize = (8.4, 3.6)
    tight_layout = False
    USD_LIMITS = (1e-5, 1e3)        # USD per million tokens, room for the labels at the slider extremes
    GRAM_LIMITS = (1e-4, 30.0)      # gCO2e per 1,000 tokens

    @SourcedControls
    def controls(cls):
        from .. import economics
        energy, throughput = _scenario_defaults()
        return {
            "energy": LogSlider("IT energy per token", 0.01, 10.0, energy, step=0.05, unit="J/token",
                                fmt="{:.3g}", readout=".3g"),
            "throughput": LogSlider("Throughput per accelerator", 100.0, 20_000.0, throughput, step=0.05,
                                    unit="token/s", fmt="{:,.0f}", readout=".3s"),
            "utilisation": Slider("Utilisation (hours serving)", 0.1, 1.0, 0.05, 1.0, fmt="{:.0%}"),
            "price": Slider("Electricity price", PRICE_RANGE[0], PRICE_RANGE[1], PRICE_STEP, _default_price(),
                            unit="US¢/kWh", fmt="{:.1f}"),
            "grid": Choice("Grid", [(_grid_label(name, fact_id), fact_id) for name, fact_id in GRIDS], GRIDS[0][1]),
            "pue": Slider("PUE", 1.05, 2.0, 0.05, float(economics.H100_CENTRAL["pue"]), fmt="{:.2f}"),
        }

    # ---- model ---------------------------------------------------------------------------------
    def compute(self, energy, throughput, utilisation, price, grid, pue):
        """The chain for one setting, with the emissions on every grid of :data:`GRIDS` (pure)."""
        from .. import economics
        from ..units import Q_
        grids = _intensities()
        cost = economics.token_cost(Q_(float(energy), "J/token"), Q_(float(throughput), "token/s"),
                                    Q_(_hourly_capital(), "USD/h"), Q_(float(price), "cent/kWh"), pue=float(pue),
                                    intensity=Q_(np.array([g[2] for g in grids]), "gCO2e/kWh"),
                                    utilisation=float(utilisation))
        grams = cost.emissions.to("gCO2e/token").magnitude * 1000
        chosen = [g[1] for g in grids].index(grid)
        electricity = float(cost.electricity.to("USD/Mtok").magnitude)
        capital = float(cost.capital.to("USD/Mtok").magnitude)
        return {"energy": float(energy), "throughput": float(throughput), "utilisation": float(utilisation),
                "price": float(price), "grid": grid, "pue": float(pue), "hourly_capital": _hourly_capital(),
                "meter": float(cost.energy_per_token.to("J/token").magnitude),
                "electricity": electricity, "capital": capital, "total": electricity + capital,
                "energy_share": electricity / (electricity + capital),
                "grid_names": tuple(g[0] for g in grids), "intensities": tuple(g[2] for g in grids),
                "grams": _readonly(grams), "chosen": chosen, "grams_here": float(grams[chosen]),
                "grid_cite": grids[chosen][3]}

    # ---- figure --------------------------------------------------------------------------------
    def draw(self, fig, result):
        from ..plotting import PALETTE, axis_label
        self.ax_u, self.ax_g = fig.subplots(1, 2)
        fig.subplots_adjust(left=0.2, right=0.98, top=0.83, bottom=0.15, wspace=0.6)
        fig.suptitle(self.title, fontsize=12)
        ax, lo = self.ax_u, self.USD_LIMITS[0]
        rows = ["electricity\n(J/token, PUE, price)", "capital\n(utilisation, tokens/s,\nchip price)", "total"]
        colours = [PALETTE["orange"], PALETTE["blue"], PALETTE["black"]]
        self.usd = ax.barh([2, 1, 0], [0, 0, 0], 0.6, left=lo, color=colours, animated=True)
        self.usd_text = [ax.text(lo, y, "", va="center", fontsize=8, animated=True) for y in (2, 1, 0)]
        ax.set_yticks([2, 1, 0], rows, fontsize=8.5)
        ax.set_xscale("log")
        ax.set_xlim(*self.USD_LIMITS)
        ax.set_ylim(-0.6, 2.6)
        ax.grid(axis="y", visible=False)
        ax.set(xlabel=axis_label("Cost", "USD per million tokens"), title="electricity + capital")
        ax, lo = self.ax_g, self.GRAM_LIMITS[0]
        n = len(result["grid_names"])
        ys = np.arange(n)[::-1]
        self.gram_bars = ax.barh(ys, np.zeros(n), 0.6, left=lo, color="0.75", animated=True)
        self.gram_text = [ax.text(lo, y, "", va="center", fontsize=8, animated=True) for y in ys]
        names = [f"{name}\n{ci:.0f} gCO2e/kWh" for name, ci in zip(result["grid_names"], result["intensities"])]
        ax.set_yticks(ys, names, fontsize=8.5)
        ax.set_xscale("log")
        ax.set_xlim(*self.GRAM_LIMITS)
        ax.set_ylim(-0.6, n - 0.4)
        ax.grid(axis="y", visible=False)
        ax.set(xlabel=axis_label("Emissions", "gCO2e per 1,000 tokens"), title="J/token × PUE × grid")
        self._highlight = PALETTE["bluish_green"]
        self.update(result)

    @staticmethod
    def _label(text, value, hi, inside_colour):
        """A value at the end of its bar, inside the bar when the end is near the axis' right edge."""
        inside = value > hi / 30
        text.set_x(value / 1.15 if inside else value * 1.15)
        text.set_ha("right" if inside else "left")
        text.set_color(inside_colour if inside else "black")
        text.set_text(f"{value:.3g}")

    def update(self, result):
        lo, hi = self.USD_LIMITS
        for bar, text, value in zip(self.usd, self.usd_text,
                                    (result["electricity"], result["capital"], result["total"])):
            bar.set_width(max(value, lo) - lo)
            self._label(text, value, hi, "white" if text is self.usd_text[-1] else "black")
        lo, hi = self.GRAM_LIMITS
        for i, (bar, text, value) in enumerate(zip(self.gram_bars, self.gram_text, result["grams"])):
            bar.set_width(max(value, lo) - lo)
            bar.set_color(self._highlight if i == result["chosen"] else "0.75")
            self._label(text, value, hi, "black")

    def describe(self, result):
        r = result
        return (f"At {r['energy']:.3g} J/token of IT energy and PUE {r['pue']:.2f} ({r['meter']:.3g} J/token at the "
                f"meter), {r['throughput']:,.0f} tokens/s per H100 and {r['utilisation']:.0%} of the hours serving, "
                f"a million tokens cost USD {r['total']:.3g}: electricity USD {r['electricity']:.3g} at "
                f"{r['price']:.1f} US¢/kWh ({r['energy_share']:.1%}; moved by the J/token, the PUE and the price) "
                f"and capital USD {r['capital']:.3g} (USD {r['hourly_capital']:.2f} per hour of the year; moved by "
                f"the utilisation, the throughput and the chip's price). 1,000 tokens emit "
                f"{r['grams_here']:.3g} gCO2e on the {r['grid_names'][r['chosen']]} grid "
                f"({r['intensities'][r['chosen']]:.0f} gCO2e/kWh, {r['grid_cite']}; moved by the J/token, the PUE and "
                f"the grid), from {min(r['grams']):.3g} to {max(r['grams']):.3g} g across the four grids shown.")


# ---- rebound --------------------------------------------------------------------------------------------
@lru_cache(maxsize=512)
def _energy_curve(k: float, s: float) -> np.ndarray:
    """Total energy after ÷ before at every elasticity of :data:`ELASTICITIES`."""
    from .. import economics
    return _readonly(economics.rebound_effect(k, ELASTICITIES, s).energy)


class ReboundExplorer(Explorer):
    """Total energy after an efficiency gain once demand responds, against the price elasticity of demand.

    Controls:

    * ``k`` — efficiency gain, ×: energy per unit of service before ÷ after, 1–100. Default 10.
    * ``elasticity`` — price elasticity of demand ε, 0–3. Default 1.2, a course setting: the registry has no
      elasticity, but in its a16z figures (``google_token_growth_year``, ``google_unit_price_fall``) use grew far
      faster than token prices fell, so spending on tokens rose, which would take ε above 1 if the price alone
      drove demand. Much of that growth had other causes, so the default sits just above 1, not at that naive
      reading.
    * ``share`` — electricity's share s of the service's price, the part the gain makes cheaper, 5–100 %.
      Default 100 %, the textbook case where the price follows the energy and backfire starts at ε = 1.

    The curve is :func:`energylab.economics.rebound_effect` over ε from 0 to 3 at the current k and s; the shaded
    region lies above :func:`energylab.economics.backfire_elasticity`, where total energy rises.
    """

    title = "Efficiency and rebound"
    figsize = (7.6, 4.4)
    tight_layout = False

    controls = {
        "k": LogSlider("Efficiency gain k", 1.0, 100.0, 10.0, step=0.05, unit="×", fmt="{:.3g}", readout=".3g"),
        "elasticity": Slider("Price elasticity of demand ε", 0.0, 3.0, 0.05, 1.2, fmt="{:.2f}"),
        "share": Slider("Electricity's share of the price s", 0.05, 1.0, 0.05, 1.0, fmt="{:.0%}"),
    }

    # ---- model ---------------------------------------------------------------------------------
    def compute(self, k, elasticity, share):
        """Price, demand and energy after ÷ before at (k, ε, s), the curve over ε and the backfire threshold."""
        from .. import economics
        k, eps, s = float(k), float(elasticity), float(share)
        r = economics.rebound_effect(k, eps, s)
        threshold = economics.backfire_elasticity(k, s) if k > 1 else math.inf
        return {"k": k, "elasticity": eps, "share": s, "price": float(r.price), "demand": float(r.demand),
                "energy": float(r.energy), "rebound": float(r.rebound_share), "backfire": bool(r.backfire),
                "threshold": float(threshold), "elasticities": ELASTICITIES, "curve": _energy_curve(k, s)}

    # ---- figure --------------------------------------------------------------------------------
    def draw(self, fig, result):
        from matplotlib.patches import Rectangle

        from ..plotting import PALETTE
        ax = self.ax = fig.add_subplot()
        fig.subplots_adjust(left=0.12, right=0.97, top=0.83, bottom=0.13)
        self.region = Rectangle((3.0, 0.0), 0.0, 1.0, transform=ax.get_xaxis_transform(),
                                facecolor=PALETTE["vermillion"], alpha=0.15, edgecolor="none",
                                label="backfire: energy rises", animated=True)
        ax.add_patch(self.region)
        unity = ax.axhline(1.0, color=PALETTE["black"], lw=1, ls="--", label="no change (after = before)")
        (self.curve,) = ax.plot(ELASTICITIES, result["curve"], color=PALETTE["blue"],
                                label="total energy after ÷ before", animated=True)
        (self.point,) = ax.plot([], [], marker="o", ms=8, ls="none", color=PALETTE["orange"], label="this ε",
                                animated=True)
        self.label = ax.text(0.02, 0.96, "", transform=ax.transAxes, va="top", fontsize=8.5, animated=True,
                             bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85})
        ax.set_yscale("log")
        ax.set_xlim(ELASTICITIES[0], ELASTICITIES[-1])
        ax.set_ylim(*self._limits(result))
        ax.set(xlabel="Price elasticity of demand ε", ylabel="Total energy after ÷ before (×)")
        fig.suptitle(self.title, fontsize=12)
        # Above the axes: inside, the line at 1 or the curve would cross it for some k and s.
        fig.legend(handles=[self.curve, self.point, unity, self.region], loc="upper center",
                   bbox_to_anchor=(0.55, 0.935), ncol=4, fontsize=8, handlelength=1.6, columnspacing=1.2)
        self.update(result)

    @staticmethod
    def _limits(result) -> tuple:
        """Whole decades around the curve and 1, so that most changes leave the axis alone."""
        low = min(float(np.min(result["curve"])), 1.0) / 1.5
        high = max(float(np.max(result["curve"])), 1.0) * 1.5
        return 10.0 ** math.floor(math.log10(low)), 10.0 ** math.ceil(math.log10(high))

    def update(self, result):
        self.curve.set_ydata(result["curve"])
        self.point.set_data([result["elasticity"]], [result["energy"]])
        start = min(result["threshold"], ELASTICITIES[-1])
        self.region.set_x(start)
        self.region.set_width(ELASTICITIES[-1] - start)
        limits = self._limits(result)
        if self.ax.get_ylim() != limits:
            self.ax.set_ylim(*limits)
        threshold = (f"backfire above ε = {result['threshold']:.2f}" if result["threshold"] <= ELASTICITIES[-1]
                     else "no backfire for ε ≤ 3")
        self.label.set_text(f"demand ×{result['demand']:.3g} · energy ×{result['energy']:.3g}\n"
                            f"rebound {result['rebound']:.0%} · {threshold}")

    def describe(self, result):
        r = result
        if r["k"] == 1:
            return (f"With no efficiency gain (k = 1) nothing changes: the price, demand and total energy stay as "
                    f"they were, whatever the elasticity (ε = {r['elasticity']:.2f}, s = {r['share']:.0%}).")
        if abs(r["energy"] - 1.0) < 5e-4:
            verdict = "total energy is unchanged: demand grows exactly as much as the energy per unit falls"
        elif r["backfire"]:
            verdict = f"backfire: total energy rises, the rebound takes back {r['rebound']:.0%} of the expected saving"
        else:
            verdict = f"total energy falls, the rebound takes back {r['rebound']:.0%} of the expected saving"
        where = (f"backfire starts at ε = {r['threshold']:.2f}" if r["threshold"] <= ELASTICITIES[-1]
                 else f"backfire would take ε above {r['threshold']:.3g}, beyond the figure")
        return (f"A {r['k']:.3g}× efficiency gain with electricity {r['share']:.0%} of the price and a price "
                f"elasticity of demand of {r['elasticity']:.2f} makes the service {r['price']:.3g}× as dear, demand "
                f"grows {r['demand']:.3g}× and total energy ends at {r['energy']:.3g}× what it was ({verdict}); "
                f"{where}.")
