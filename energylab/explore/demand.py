"""Data-centre electricity to 2030: compound growth from a published starting point.

:class:`DemandExplorer` projects the electricity used by data centres, worldwide (from the IEA's
2024 figure) or in the United States (from LBNL's 2023 figure), at a chosen growth rate, and
compares the projection with the published outlooks: the IEA's base case for 2030 (world) and
LBNL's scenario range for 2028 (US, drawn as a shaded range, because it is a range). A dashed line
marks, for scale, the energy Stargate's announced capacity would use in a year at full power::

    from energylab.explore import DemandExplorer
    DemandExplorer(region="US", growth=0.2)
"""
from __future__ import annotations

import numpy as np

from .. import accounting as acc
from ..sources import get, number, value
from ..units import u
from .base import Choice, Explorer, Slider, SourcedControls

__all__ = ["DemandExplorer"]

END_YEAR = 2030
#: Fact ids behind each region: starting point, and the published outlook compared with.
REGIONS = {
    "World": {"start": "iea_dc_electricity_2024", "outlook": "iea_dc_electricity_2030"},
    "US": {"start": "lbnl_us_dc_electricity_2023", "outlook": "lbnl_us_dc_electricity_2028"},
}


def _twh(fact_id: str):
    """A fact in TWh (float, or an array of two for a range) and the year it refers to."""
    fact = get(fact_id)
    return fact.q.to("TWh").magnitude, int(fact.year)


class DemandExplorer(Explorer):
    """Compound-growth projection of data-centre electricity to 2030, against published outlooks.

    Controls:

    * ``region`` — ``"World"`` (start: IEA 2025, *Energy and AI*, 2024 value; compared with the IEA
      base case for 2030) or ``"US"`` (start: Shehabi et al. 2024, LBNL, 2023 value; compared with
      LBNL's 2028 scenario range).
    * ``growth`` — growth of data-centre electricity per year *before any extra efficiency
      gain* (fraction; ``0.15`` is 15 %/yr), in steps of 0.5 % so that the rates reaching either
      end of LBNL's range can be bracketed. Default: the IEA's base-case growth rate of
      data-centre electricity for 2024–2030 (``iea_dc_growth_rate_2024_2030``), which already
      contains the IEA's own assumptions about efficiency. Read it as the growth of computing
      only if you assume the energy per unit of computing stays constant.
    * ``efficiency`` — extra gain in efficiency per year (fraction), beyond whatever ``growth``
      already contains: the energy per unit of computing falls by this share each year.
      Default 0, so that by default the electricity grows at the IEA's rate.

    Model: electricity grows at the net rate r = (1 + growth)(1 − efficiency) − 1, so
    E(year) = E_start (1 + r)^(year − start year) (:func:`energylab.accounting.net_growth_rate`,
    :func:`energylab.accounting.project`).
    Masanet et al. (2020) found that from 2010 to 2018 efficiency almost cancelled growth.

    Stargate is marked as :func:`energylab.accounting.annual_energy` of its announced capacity
    (``stargate_capacity``) at full power all year. That is an upper bound only if the gigawatts
    are facility power; the announcement does not say, and if they are IT power the facility
    would draw more, by its PUE.
    """

    title = "Data-centre electricity to 2030"
    figsize = (7.6, 4.0)

    @SourcedControls
    def controls(cls):
        return {
            "region": Choice("Region", [("World (IEA)", "World"), ("United States (LBNL)", "US")], "World"),
            "growth": Slider("Growth before extra efficiency", 0.0, 0.30, 0.005,
                             number("iea_dc_growth_rate_2024_2030"),
                             unit="per year", fmt="{:.1%}"),
            "efficiency": Slider("Extra efficiency gain", 0.0, 0.30, 0.005, 0.0, unit="per year",
                                 fmt="{:.1%}"),
        }

    # ---- model ---------------------------------------------------------------------------------
    def compute(self, region, growth, efficiency):
        """The projection for one setting (pure).

        Parameters
        ----------
        region : {"World", "US"}
        growth : float
            Growth of electricity per year before any extra efficiency gain, a fraction (equal
            to the growth of computing if the energy per unit of computing stays constant).
        efficiency : float
            Extra yearly fall in energy per unit of computing, a fraction in [0, 1).

        Returns
        -------
        dict
            ``years`` (int array, start year → 2030), ``twh`` (TWh per year, same length),
            ``rate`` (net growth of electricity per year, fraction), ``start_twh``/``start_year``,
            ``outlook_twh`` (float, or a two-value array for a range) and ``outlook_year``,
            ``projected_at_outlook`` (TWh in the outlook's year), ``end_twh`` (TWh in 2030),
            ``stargate_twh`` (TWh per year at full capacity) and the inputs.
        """
        start, start_year = _twh(REGIONS[region]["start"])
        outlook, outlook_year = _twh(REGIONS[region]["outlook"])
        rate = acc.net_growth_rate(growth, efficiency).magnitude
        years = np.arange(start_year, END_YEAR + 1)
        twh = acc.project(start * u.TWh, rate, years - start_year).to("TWh").magnitude
        stargate = acc.annual_energy(value("stargate_capacity")).to("TWh").magnitude
        return {
            "region": region, "growth": growth, "efficiency": efficiency, "rate": float(rate),
            "years": years, "twh": np.asarray(twh, dtype=float),
            "start_twh": float(start), "start_year": start_year,
            "outlook_twh": outlook if np.ndim(outlook) else float(outlook), "outlook_year": outlook_year,
            "projected_at_outlook": float(twh[outlook_year - start_year]),
            "end_twh": float(twh[-1]), "stargate_twh": float(stargate),
        }

    def _top(self, region) -> float:
        """Fixed y-limit for a region: room for the fastest growth the sliders allow."""
        start, start_year = _twh(REGIONS[region]["start"])
        fastest = self.controls["growth"].max
        return 1.2 * start * (1 + fastest) ** (END_YEAR - start_year)  # headroom: the note sits above 2030

    # ---- figure --------------------------------------------------------------------------------
    def draw(self, fig, result):
        from ..plotting import PALETTE, axis_label
        ax = self.ax = fig.add_subplot()
        ax.set(title=self.title, xlabel="Year", ylabel=axis_label("Electricity per year", "TWh"))
        ax.set_xlim(2022.5, END_YEAR + 0.5)
        ax.set_xticks(range(2023, END_YEAR + 1))
        self.region_artists = {}
        for region, ids in REGIONS.items():
            start, start_year = _twh(ids["start"])
            outlook, outlook_year = _twh(ids["outlook"])
            who = get(ids["start"]).cite()
            start_pt = ax.plot([start_year], [start], "o", color=PALETTE["black"], zorder=4,
                               label=f"Published, {start_year} ({who})")[0]
            if np.ndim(outlook):  # a scenario range: a shaded bar, not a point
                lo, hi = outlook
                ref = ax.bar(outlook_year, hi - lo, bottom=lo, width=0.45, color=PALETTE["bluish_green"],
                             alpha=0.45, label=f"Scenario range, {outlook_year} ({get(ids['outlook']).cite()})",
                             zorder=2)
                outlook_artists = list(ref)
                handle = ref
            else:
                handle = ax.plot([outlook_year], [outlook], "D", color=PALETTE["bluish_green"],
                                 markersize=8, zorder=4,
                                 label=f"Outlook, {outlook_year} ({get(ids['outlook']).cite()})")[0]
                outlook_artists = [handle]
            self.region_artists[region] = {"artists": [start_pt, *outlook_artists],
                                           "handles": [start_pt, handle]}
        stargate = result["stargate_twh"]
        capacity = value("stargate_capacity")
        self.stargate_line = ax.axhline(stargate, color=PALETTE["vermillion"], linestyle="--", linewidth=1.5,
                                        label=f"Stargate's {capacity.to('GW').magnitude:g} GW at full power "
                                              f"all year (if facility power)")
        (self.line,) = ax.plot(result["years"], result["twh"], "-o", color=PALETTE["blue"], markersize=4,
                               animated=True, label="Your projection", zorder=3)
        self.note = ax.text(0.98, 0.97, "", transform=ax.transAxes, ha="right", va="top", fontsize=9,
                            animated=True)
        self._region = None
        self.update(result)

    def update(self, result):
        region = result["region"]
        if region != self._region:  # static changes: visibility, legend, y-range (a full redraw)
            for name, group in self.region_artists.items():
                for artist in group["artists"]:
                    artist.set_visible(name == region)
            self.ax.set_ylim(0, self._top(region))
            handles = [self.line, *self.region_artists[region]["handles"], self.stargate_line]
            self.ax.legend(handles=handles, loc="upper left", fontsize=9)
            self._region = region
        self.line.set_data(result["years"], result["twh"])
        self.note.set_text(f"{result['end_twh']:,.0f} TWh in {END_YEAR} "
                           f"(electricity {result['rate']:+.1%} per year)")

    def describe(self, result):
        r = result
        where = "World" if r["region"] == "World" else "US"
        outlook = r["outlook_twh"]
        if np.ndim(outlook):
            lo, hi = outlook
            inside = "inside" if lo <= r["projected_at_outlook"] <= hi else (
                "below" if r["projected_at_outlook"] < lo else "above")
            compare = (f"In {r['outlook_year']} it reaches {r['projected_at_outlook']:,.0f} TWh, {inside} "
                       f"LBNL's range of {lo:,.0f}–{hi:,.0f} TWh.")
        else:
            compare = f"The IEA's base case for {r['outlook_year']} is {outlook:,.0f} TWh."
        rate, start = f"{abs(r['rate']):.1%}", f"{r['start_twh']:,.0f} TWh in {r['start_year']}"
        if rate == "0.0%":      # as shown: a rate of -1e-16 is no fall
            trend = f"holds steady from {start} at 0.0% per year"
        elif r["rate"] < 0:
            trend = f"falls from {start} by {rate} per year"
        else:
            trend = f"grows from {start} at +{rate} per year"
        return (f"{where} data-centre electricity {trend} ({r['growth']:.1%} before extra efficiency, extra "
                f"efficiency gain {r['efficiency']:.1%}) to {r['end_twh']:,.0f} TWh in {END_YEAR}. {compare} "
                f"Stargate at full power all year would use {r['stargate_twh']:,.1f} TWh "
                f"(if its capacity is facility power).")
