"""Chilled water as a battery: a tank shifts a week of compressor cooling to cheap or clean hours.

:class:`StorageExplorer` takes one summer week of a simulated 1 MW site (an air-cooled chiller in a
temperate climate, :func:`energylab.cooling.simulate_site`), the synthetic hourly price or carbon profile of a
grid (:func:`energylab.cooling.price_profile`, :func:`energylab.cooling.carbon_intensity_profile`) and a tank
size, and dispatches the tank with :func:`energylab.cooling.dispatch_storage`::

    from energylab.explore import StorageExplorer
    StorageExplorer()                        # last line of a cell: controls + figure
    StorageExplorer(tank_mwh=6).result["saving"]

The site and the yearly profiles are computed once, on first use, and shared; each update dispatches one
week (168 hours, about 1 ms).
"""
from __future__ import annotations

import numpy as np

from .base import Choice, Explorer, Slider

__all__ = ["StorageExplorer"]

_REGIONS = [("Germany", "germany"), ("Great Britain", "gb"), ("France", "france"), ("California", "california")]
_SIGNALS = [("Electricity price", "cost"), ("Grid carbon intensity", "carbon")]
_cache: dict = {}
#: Temperature swing, K, at which the text gives the tank's volume.
TANK_DELTA_T = 6.0


def _week_inputs(region: str):
    """(cooling load kW, chiller COP, price USD/kWh, carbon g/kWh) for the sample week; cached."""
    if region not in _cache:
        from ..cooling import carbon_intensity_profile, price_profile, simulate_site
        from ..units import u
        if "site" not in _cache:
            _cache["site"] = simulate_site(StorageExplorer.CLIMATE, StorageExplorer.DESIGN, it_load=1 * u.MW,
                                           seed=StorageExplorer.SEED)
        site = _cache["site"]
        week = slice(StorageExplorer.FIRST_HOUR, StorageExplorer.FIRST_HOUR + 168)
        price = price_profile(region, seed=StorageExplorer.SEED).magnitude[week]
        carbon = carbon_intensity_profile(region, seed=StorageExplorer.SEED).magnitude[week]
        _cache[region] = (site.mechanical_load.magnitude[week].copy(), site.chiller_cop.magnitude[week].copy(),
                          price.copy(), carbon.copy())
    return _cache[region]


def _same_price_shape(region: str) -> list[str]:
    """The other grids whose synthetic price profile is the same as ``region``'s (same trough and peak hours)."""
    from ..cooling.storage import GRID_REGIONS
    hours = lambda key: (GRID_REGIONS[key].hour_low, GRID_REGIONS[key].hour_high)  # noqa: E731
    return [text for text, key in _REGIONS if key != region and hours(key) == hours(region)]


class StorageExplorer(Explorer):
    """A week of chilled-water storage: cold made when it is cheap (or clean), used at the peak.

    Controls:

    * ``tank_mwh`` — tank capacity, MWh of cold (the text gives the volume at a :data:`TANK_DELTA_T` swing).
    * ``signal`` — what the dispatch minimises: the electricity price (``"cost"``) or the grid's carbon
      intensity (``"carbon"``).
    * ``region`` — whose daily shape (and, for carbon, statistics) the synthetic profiles follow.

    The site: :attr:`DESIGN` in the :attr:`CLIMATE` climate at 1 MW of IT, hours :attr:`FIRST_HOUR` to
    :attr:`FIRST_HOUR` + 168 (a week in July). Prices are a course assumption (peak ≈ 2× off-peak around
    the US industrial average); carbon profiles follow the registry's hourly statistics.
    """

    title = "A chilled-water tank over one week"
    figsize = (7.6, 5.0)
    tight_layout = False
    CLIMATE = "temperate"
    DESIGN = "air_chiller"
    SEED = 0
    FIRST_HOUR = 24 * 190          # 10 July, 00:00

    controls = {
        "tank_mwh": Slider("Tank capacity", 0.0, 12.0, 0.5, 3.0, unit="MWh", fmt="{:.1f}"),
        "signal": Choice("Shift to hours of low", _SIGNALS, "cost"),
        "region": Choice("Grid", _REGIONS, "germany"),
    }

    # ---- model ---------------------------------------------------------------------------------
    def compute(self, tank_mwh, signal, region):
        """Dispatch the tank over the week; return hourly arrays and the week's savings (pure)."""
        from ..cooling import dispatch_storage, tank_volume
        from ..units import Q_
        load, cop, price, carbon = _week_inputs(region)
        r = dispatch_storage(Q_(load, "kW"), cop, price, carbon, capacity=tank_mwh * 1e3, objective=signal)
        cost_b, cost_a = float(r.cost_before.magnitude), float(r.cost_after.magnitude)
        co2_b, co2_a = float(r.carbon_before.magnitude), float(r.carbon_after.magnitude)
        return {
            "tank_mwh": float(tank_mwh), "signal": signal, "region": region,
            "volume_m3": float(tank_volume(tank_mwh * 1e3, TANK_DELTA_T).magnitude),
            "hours": np.arange(168), "load": load.copy(), "made": r.cold_made.magnitude,
            "state": r.state.magnitude / 1e3, "price": price * 100.0, "carbon": carbon.copy(),
            "peak_stored_mwh": float(r.state.magnitude.max()) / 1e3,
            "shifted_mwh": float(r.discharged.magnitude) / 1e3, "lost_mwh": float(r.lost.magnitude) / 1e3,
            "electricity_before_mwh": float(r.electricity_before_total.to("MWh").magnitude),
            "electricity_after_mwh": float(r.electricity_after_total.to("MWh").magnitude),
            "cost_before": cost_b, "cost_after": cost_a, "carbon_before_t": co2_b / 1e3, "carbon_after_t": co2_a / 1e3,
            "saving": (float(r.cost_saved.magnitude) / cost_b if signal == "cost"
                       else float(r.carbon_saved.magnitude) / co2_b),
            "balance_error": float(r.balance_error.magnitude),
        }

    # ---- figure --------------------------------------------------------------------------------
    def draw(self, fig, result):
        from ..plotting import PALETTE, axis_label
        ax_s, ax_c = self.axes = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [0.8, 1.2]})
        fig.subplots_adjust(left=0.115, right=0.88, top=0.92, bottom=0.1, hspace=0.12)  # left: a 2-line label
        fig.suptitle(self.title, fontsize=12)
        h = result["hours"]
        (self.signal_line,) = ax_s.plot(h, self._signal(result), color=PALETTE["reddish_purple"], lw=1.2,
                                        animated=True)
        (self.load_line,) = ax_c.plot(h, result["load"], color=PALETTE["black"], lw=1, ls="--",
                                      label="cooling load (no tank)")
        (self.made_line,) = ax_c.plot(h, result["made"], color=PALETTE["blue"], lw=1.4, animated=True,
                                      label="cold made by the chiller")
        self.twin = ax_c.twinx()
        (self.state_line,) = self.twin.plot(h, result["state"], color=PALETTE["bluish_green"], lw=1.2,
                                            animated=True, label="cold in the tank")
        # The tank's size, so that a tank too big to fill shows as a gap between the two.
        self.capacity_line = self.twin.axhline(result["tank_mwh"], color=PALETTE["bluish_green"], lw=1, ls=":",
                                               animated=True, label="tank capacity")
        self.twin.set_ylabel(axis_label("Stored", "MWh"))
        self.twin.set_ylim(0, 12.5)
        self.twin.grid(False)
        ax_c.set_ylabel(axis_label("Cooling", "kW"))
        ax_c.set_ylim(0, max(1.2 * float(result["load"].max()), 1.0) * 1.6)
        ax_c.set_xlabel("Hour of the week (from 10 July, 00:00)")
        ax_c.set_xlim(0, 167)
        ax_c.set_xticks(np.arange(0, 169, 24))
        ax_c.legend(handles=[self.load_line, self.made_line, self.state_line, self.capacity_line],
                    loc="upper left", fontsize=8, ncol=4, frameon=False, columnspacing=1.0, handlelength=1.8)
        self.label = ax_s.text(0.99, 0.95, "", transform=ax_s.transAxes, ha="right", va="top", fontsize=8.5,
                               animated=True, bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85})
        self.update(result)

    @staticmethod
    def _signal(result):
        return result["price"] if result["signal"] == "cost" else result["carbon"]

    def update(self, result):
        from ..plotting import axis_label
        values = self._signal(result)
        self.signal_line.set_ydata(values)
        self.made_line.set_ydata(result["made"])
        self.state_line.set_ydata(result["state"])
        self.capacity_line.set_ydata([result["tank_mwh"], result["tank_mwh"]])
        ax = self.axes[0]
        top = 1.15 * float(values.max())
        label = (axis_label("Price", "US¢/kWh") if result["signal"] == "cost"
                 else axis_label("Carbon intensity", "gCO2e/kWh").replace(" (", "\n(", 1))  # 2 lines fit the panel
        # Axis changes are static (a full redraw, ~4× a blit): only when the scale or label really differ.
        if ax.get_ylim() != (0.0, top):
            ax.set_ylim(0, top)
        if ax.get_ylabel() != label:
            ax.set_ylabel(label)
        what = "cost" if result["signal"] == "cost" else "emissions"
        grid = self.controls["region"].format(result["region"])
        text = f"{grid}: {result['shifted_mwh']:.1f} MWh shifted, {what} −{result['saving']:.1%}"
        if self._underused(result):
            text += f"\nthe tank never holds more than {result['peak_stored_mwh']:.1f} MWh"
        self.label.set_text(text)

    @staticmethod
    def _underused(result) -> bool:
        """True when the week never fills the tank: a bigger one would change nothing."""
        return result["tank_mwh"] > 0 and result["peak_stored_mwh"] < 0.98 * result["tank_mwh"]

    def describe(self, result):
        r = result
        grid = self.controls["region"].format(r["region"])
        if r["signal"] == "cost":
            money = (f"the chillers' electricity bill falls from {r['cost_before']:,.0f} to {r['cost_after']:,.0f} "
                     f"USD ({r['saving']:.1%})")
            shared = _same_price_shape(r["region"])
            if shared:  # found in the browser: the Grid menu seemed broken for prices
                money += (f" (the synthetic price keeps only the daily hours of trough and peak, which "
                          f"{grid} shares with {' and '.join(shared)}: the same prices)")
        else:
            money = (f"the chillers' emissions fall from {r['carbon_before_t']:.2f} to {r['carbon_after_t']:.2f} "
                     f"tCO2e ({r['saving']:.1%})")
        return (f"A tank of {r['tank_mwh']:.1f} MWh ({r['volume_m3']:,.0f} m³ of water at a {TANK_DELTA_T:g} K "
                f"swing) on a "
                f"grid like {grid}'s, dispatched on {self.controls['signal'].format(r['signal']).lower()}, shifts "
                f"{r['shifted_mwh']:.1f} MWh of cooling in a July week and loses {r['lost_mwh']:.2f} MWh; "
                f"{money}; chiller electricity {r['electricity_before_mwh']:.1f} → "
                f"{r['electricity_after_mwh']:.1f} MWh."
                + (f" The tank never holds more than {r['peak_stored_mwh']:.1f} MWh: each day only so many hours "
                   f"are dear enough to be worth shifting, and the chiller has only so much spare capacity in the "
                   f"cheap ones, so a bigger tank changes nothing this week."
                   if self._underused(r) else ""))
