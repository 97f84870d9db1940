"""A data-centre calculator: one year of a site's electricity, emissions, water and electricity bill.

:class:`DataCentreExplorer` turns six inputs — the average IT load, the PUE, the carbon intensity
of the grid, the on-site water use per kWh of IT energy (WUE), the water consumed by power plants
per kWh generated, and the electricity price — into the site's yearly totals, all through
:mod:`energylab.accounting`. Its defaults come from :mod:`energylab.sources` and describe a
composite site (world grid, US price and off-site water factor, Azure's WUE; see the class)::

    from energylab.explore import DataCentreExplorer
    DataCentreExplorer()                   # last line of a cell: sliders + figure
    DataCentreExplorer(pue=1.1).result     # the numbers, without looking at the figure
"""
from __future__ import annotations

from .. import accounting as acc
from ..formatting import percent, significant
from ..sources import number as _number
from ..units import u
from .base import Explorer, Slider, SourcedControls

__all__ = ["DataCentreExplorer"]


class DataCentreExplorer(Explorer):
    """One year of a data centre: electricity (IT + overhead), emissions, water and cost.

    Controls (plain numbers in the units shown):

    * ``it_mw`` — average power drawn by the IT equipment, MW. Default: the IEA's *minimum* size
      of a hyperscale site (``hyperscale_dc_power``, "100 MW or more"), taken as an IT load drawn
      in full all year: a site of that size at full load, so an upper bound for it, not the
      average IT load of a typical hyperscale site.
    * ``pue`` — Power Usage Effectiveness, facility energy / IT energy, 1.0–2.5. Default: the
      industry average of 2024 (``uptime_average_pue_2024``, Uptime Institute).
    * ``intensity`` — carbon intensity of the electricity, gCO2e/kWh, 0–900. Default: the world
      average of 2022 (``world_grid_intensity_2022``, Ember).
    * ``wue`` — on-site Water Usage Effectiveness, L per kWh of IT energy. Default: Azure's
      (``azure_wue_onsite``, as quoted by Jegham et al. 2025).
    * ``water_offsite`` — water consumed by power plants per kWh generated, L/kWh. Default:
      ``azure_water_offsite`` (Jegham et al. 2025; the LBNL 2024 US factor quoted by Li et al.).
    * ``price`` — electricity price, US cents/kWh. Default: the US industrial average of 2023
      (``us_industrial_electricity_price_2023``, EIA).

    The default site is a **composite**, not one real data centre: a world-average grid
    (Ember), a US electricity price (EIA) and US off-site water factor (LBNL 2024, as used for
    Azure), Azure's on-site WUE and the industry-survey PUE (Uptime Institute). It is a
    reference point for moving the sliders, not a description of any site.

    The six inputs are independent: moving one holds the others fixed. In particular a cleaner
    grid (lower ``intensity``) leaves ``water_offsite`` and ``price`` unchanged here, although in
    reality the generation mix that sets the carbon intensity also sets the water consumed per
    kWh generated and, with the market, the price.

    Model (all through :mod:`energylab.accounting`, over a 365-day year of 8,760 h):

    * IT energy E_IT = P_IT × 8,760 h (:func:`~energylab.accounting.annual_energy`);
    * facility energy E = E_IT × PUE, overhead E_IT × (PUE − 1);
    * emissions = E × carbon intensity;
    * water: on-site E_IT × WUE, off-site E × water intensity of electricity (Li et al. 2025);
    * cost = E × price (energy charge only).

    The figure shows four bars, each on its own axis and unit: facility energy split into IT and
    overhead (GWh), emissions (ktCO2e), water split into on-site and off-site (million litres) and
    the electricity bill (million USD).
    """

    title = "One year of a data centre"
    figsize = (8.4, 3.9)
    tight_layout = False  # the layout is fixed in draw() (room for the figure legend)

    @SourcedControls
    def controls(cls):
        return {
            "it_mw": Slider("IT load, average", 1.0, 1000.0, 1.0, _number("hyperscale_dc_power", "MW"),
                            unit="MW", fmt="{:,.0f}"),
            "pue": Slider("PUE", 1.0, 2.5, 0.01, _number("uptime_average_pue_2024", ""), fmt="{:.2f}"),
            "intensity": Slider("Grid carbon intensity", 0.0, 900.0, 5.0,
                                _number("world_grid_intensity_2022", "gCO2e/kWh"),
                                unit="gCO2e/kWh", fmt="{:.0f}"),
            "wue": Slider("On-site water (WUE)", 0.0, 10.0, 0.05, _number("azure_wue_onsite", "L/kWh"),
                          unit="L/kWh", fmt="{:.2f}"),
            "water_offsite": Slider("Off-site water of electricity", 0.0, 10.0, 0.05,
                                    _number("azure_water_offsite", "L/kWh"), unit="L/kWh", fmt="{:.2f}"),
            "price": Slider("Electricity price", 0.0, 40.0, 0.1,
                            _number("us_industrial_electricity_price_2023", "cent/kWh"),
                            unit="US¢/kWh", fmt="{:.2f}"),
        }

    # ---- model ---------------------------------------------------------------------------------
    def compute(self, it_mw, pue, intensity, wue, water_offsite, price):
        """The site's yearly totals for the given inputs (pure: no state, no figure).

        Parameters
        ----------
        it_mw : float
            Average IT power, MW.
        pue : float
            Power Usage Effectiveness, at least 1.
        intensity : float
            Carbon intensity of the electricity, gCO2e/kWh.
        wue : float
            On-site water per kWh of IT energy, L/kWh.
        water_offsite : float
            Water consumed per kWh of electricity generated, L/kWh.
        price : float
            Electricity price, US cents/kWh.

        Returns
        -------
        dict
            Plain floats: ``it_gwh``, ``overhead_gwh``, ``facility_gwh`` (GWh per year),
            ``it_share`` (fraction), ``emissions_kt`` (ktCO2e per year), ``water_onsite_ml``,
            ``water_offsite_ml``, ``water_total_ml`` (million litres per year), ``cost_musd``
            (million USD per year), and the inputs.
        """
        it = acc.annual_energy(it_mw * u.MW)
        facility = acc.facility_energy(it, pue)
        overhead = acc.overhead_energy(it, pue)
        co2 = acc.emissions(facility, intensity * u.gCO2e / u.kWh)
        water = acc.water_use(it, wue * u.L / u.kWh, pue, water_offsite * u.L / u.kWh)
        bill = acc.cost(facility, price * u.cent / u.kWh)
        gwh = 1e-6  # kWh -> GWh
        return {
            "it_gwh": it.magnitude * gwh,
            "overhead_gwh": overhead.magnitude * gwh,
            "facility_gwh": facility.magnitude * gwh,
            "it_share": float(acc.it_share(pue).magnitude),
            "emissions_kt": co2.magnitude * 1e-6,            # kgCO2e -> ktCO2e
            "water_onsite_ml": water.on_site.magnitude * 1e-6,  # L -> million L
            "water_offsite_ml": water.off_site.magnitude * 1e-6,
            "water_total_ml": water.total.magnitude * 1e-6,
            "cost_musd": bill.magnitude * 1e-6,              # USD -> million USD
            "it_mw": it_mw, "pue": pue, "intensity": intensity, "wue": wue,
            "water_offsite": water_offsite, "price": price,
        }

    # ---- figure --------------------------------------------------------------------------------
    _PANELS = (  # key of the total, axis title, y label
        ("facility_gwh", "Electricity", "Energy per year (GWh)"),
        ("emissions_kt", "Emissions", "CO2e per year (kt)"),
        ("water_total_ml", "Water", "Water per year (million L)"),
        ("cost_musd", "Electricity bill", "Cost per year (million USD)"),
    )

    def draw(self, fig, result):
        from matplotlib.patches import Patch

        from ..plotting import PALETTE, tick_formatter
        colours = {"it": PALETTE["blue"], "overhead": PALETTE["orange"],
                   "emissions": PALETTE["vermillion"], "on": PALETTE["sky_blue"],
                   "off": PALETTE["bluish_green"], "cost": PALETTE["reddish_purple"]}
        self.axes = fig.subplots(1, 4)
        fig.subplots_adjust(left=0.10, right=0.99, top=0.80, bottom=0.17, wspace=0.8)
        fig.suptitle(self.title, fontsize=12)

        def bar(ax, colour):
            return ax.bar(0, 0.0, width=0.6, color=colour, animated=True)[0]

        ax_e, ax_c, ax_w, ax_m = self.axes
        self.bars = {
            "it": bar(ax_e, colours["it"]), "overhead": bar(ax_e, colours["overhead"]),
            "emissions": bar(ax_c, colours["emissions"]),
            "on": bar(ax_w, colours["on"]), "off": bar(ax_w, colours["off"]),
            "cost": bar(ax_m, colours["cost"]),
        }
        self.labels = []
        for ax, (_, name, ylabel) in zip(self.axes, self._PANELS):
            ax.set_title(name, fontsize=11)
            ax.set_ylabel(ylabel)
            ax.set_xlim(-0.6, 0.6)
            ax.set_xticks([])
            ax.set_ylim(0, 1)
            ax.yaxis.set_major_formatter(tick_formatter())  # decimals as the tick spacing needs
            self.labels.append(ax.text(0, 0, "", ha="center", va="bottom", fontsize=9, animated=True))
        handles = [Patch(color=colours["it"], label="IT equipment"),
                   Patch(color=colours["overhead"], label="Overhead (cooling, power losses)"),
                   Patch(color=colours["on"], label="On-site water (cooling)"),
                   Patch(color=colours["off"], label="Off-site water (power plants)")]
        fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=9, frameon=False,
                   bbox_to_anchor=(0.5, 0.0))
        self.update(result)

    def update(self, result):
        r = result
        self.bars["it"].set_height(r["it_gwh"])
        self.bars["overhead"].set_y(r["it_gwh"])
        self.bars["overhead"].set_height(r["overhead_gwh"])
        self.bars["emissions"].set_height(r["emissions_kt"])
        self.bars["on"].set_height(r["water_onsite_ml"])
        self.bars["off"].set_y(r["water_onsite_ml"])
        self.bars["off"].set_height(r["water_offsite_ml"])
        self.bars["cost"].set_height(r["cost_musd"])
        texts = (f"{significant(r['facility_gwh'])}\nIT {percent(r['it_share'])}",
                 significant(r["emissions_kt"]),
                 f"{significant(r['water_total_ml'])}\non-site {percent(r['water_onsite_ml'] / r['water_total_ml'])}"
                 if r["water_total_ml"] > 0 else "0",
                 significant(r["cost_musd"], decimals=1))
        for ax, label, text, (key, _, _) in zip(self.axes, self.labels, texts, self._PANELS):
            total = r[key]
            top = ax.get_ylim()[1]
            wanted = top
            if total <= 0:
                wanted = 1.0         # a fresh build's scale, not the last one's
            elif not 0.25 * top <= total <= top / 1.25:
                wanted = 1.6 * total
            if wanted != top:        # a static change: the next render redraws everything
                top = wanted
                ax.set_ylim(0, top)
            label.set_position((0, total + 0.02 * top))
            label.set_text(text)

    def _basis(self, intensity) -> str:
        """What the default intensity counts: the world average is CO2 from combustion only, not life-cycle CO2e."""
        if intensity != self.controls["intensity"].default:
            return ""
        return " (the world's 2022 average, CO2 from combustion only, so a lower bound on CO2e)"

    def describe(self, result):
        r, n = result, significant  # at least 3 significant figures: small sites never read "0"
        return (f"{r['it_mw']:,.0f} MW of average IT load at PUE {r['pue']:.2f} uses {n(r['facility_gwh'])} GWh a year "
                f"({n(r['it_gwh'])} GWh IT, {n(r['overhead_gwh'])} GWh overhead); at "
                f"{r['intensity']:.0f} gCO2e/kWh{self._basis(r['intensity'])} it emits {n(r['emissions_kt'])} ktCO2e; "
                f"it consumes "
                f"{n(r['water_onsite_ml'])} million L of water on site and {n(r['water_offsite_ml'])} "
                f"million L off site; the electricity costs {n(r['cost_musd'], decimals=1)} million USD "
                f"at {r['price']:.2f} US cents/kWh.")

