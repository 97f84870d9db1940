"""A data centre over a year: how climate, cooling design, set-point and load set its PUE and water.

:class:`SiteExplorer` runs :func:`energylab.cooling.simulate_site` (8,760 hours, about 2 ms) on every
change and shows the daily mean of the hourly PUE, the outdoor temperatures the plant works against,
and the daily on-site water withdrawn per kWh of IT energy (a daily WUE; evaporation plus blowdown)::

    from energylab.explore import SiteExplorer
    SiteExplorer()                                    # last line of a cell: controls + figure
    SiteExplorer(climate="cold", design="direct_liquid").result["pue"]

The installed IT capacity is fixed (:attr:`SiteExplorer.CAPACITY_MW`): a lighter IT load leaves the fixed
losses (constant-speed fans, UPS no-load losses, lights) in place, so a half-empty site has a worse PUE.
Every design and climate parameter is a course assumption of :mod:`energylab.cooling` (its
``COURSE_ASSUMPTIONS``), chosen so annual PUEs land near the published ones; the climates are synthetic.
"""
from __future__ import annotations


from .base import Choice, Explorer, Slider, SourcedControls

__all__ = ["SiteExplorer"]

_DESIGN_LABELS = {
    "air_chiller": "Air + air-cooled chiller (enterprise)",
    "water_chiller_economiser": "Water-cooled chiller + economiser",
    "evaporative": "Outside air + evaporative pads",
    "direct_liquid": "Direct-to-chip liquid (warm water)",
    "legacy_air_chiller": "Legacy room run cold",
}
_CLIMATE_LABELS = {
    "cold": "Cold (Nordic coast)",
    "temperate": "Temperate (western Europe)",
    "hot-dry": "Hot and dry (desert city)",
    "hot-humid": "Hot and humid (tropics)",
}


class SiteExplorer(Explorer):
    """One simulated year of a data centre: daily PUE, outdoor temperatures and daily water per kWh of IT.

    Controls:

    * ``climate`` — one of :data:`energylab.cooling.CLIMATES` (synthetic, weather seed 0).
    * ``design`` — one of :data:`energylab.cooling.DESIGNS`.
    * ``setpoint_shift`` — K added to the design's own supply temperature (cold-aisle air, or the coolant
      for direct liquid cooling); the figure and text give the resulting set-point in °C. A liquid-cooled
      hall's residual air keeps the design's ``air_setpoint``: that loop needs colder weather than the cold
      plates at any shift, so it alone sets the hours of full free cooling, and the text says so.
    * ``it_mw`` — average IT load, MW, in a hall of :attr:`CAPACITY_MW` installed IT capacity.

    ``compute`` returns the annual PUE, facility and IT energy (MWh), cooling share, water withdrawn (m³), WUE
    (withdrawal, L/kWh) and ``wue_consumption`` (evaporated only, L/kWh), free-cooling hours, and daily arrays
    of the PUE, outdoor dry- and wet-bulb temperature and WUE.
    """

    title = "A data centre's year"
    figsize = (7.4, 5.5)  # taller than 5.2: the annual label above the PUE panel
    tight_layout = False
    CAPACITY_MW = 10.0
    SEED = 0

    @SourcedControls
    def controls(cls):
        from ..cooling import CLIMATES, DESIGNS
        return {
            "climate": Choice("Climate", [(_CLIMATE_LABELS.get(c, c), c) for c in CLIMATES], "temperate"),
            "design": Choice("Cooling design", [(_DESIGN_LABELS.get(d, d), d) for d in DESIGNS],
                             "water_chiller_economiser"),
            "setpoint_shift": Slider("Set-point shift", -6.0, 8.0, 0.5, 0.0, unit="K", fmt="{:+.1f}"),
            "it_mw": Slider("IT load", 1.0, cls.CAPACITY_MW, 0.5, cls.CAPACITY_MW, unit="MW", fmt="{:.1f}"),
        }

    # ---- model ---------------------------------------------------------------------------------
    def compute(self, climate, design, setpoint_shift, it_mw):
        """Simulate the site for a year and summarise it (pure: a fresh simulation each call)."""
        from ..cooling import DESIGNS, simulate_site
        from ..units import u
        d = DESIGNS[design]
        setpoint_c = d.setpoint + setpoint_shift
        r = simulate_site(climate, d, it_load=it_mw * u.MW, setpoint=setpoint_c * u.degC, seed=self.SEED,
                          capacity=self.CAPACITY_MW * u.MW)
        daily = r.daily()
        return {
            "climate": climate, "design": design, "setpoint_c": float(setpoint_c), "it_mw": float(it_mw),
            "pue": float(r.pue.magnitude),
            "it_mwh": float(r.it_energy.magnitude), "facility_mwh": float(r.facility_energy.magnitude),
            "cooling_share": float(r.cooling_share.magnitude),
            "water_m3": float(r.water_total.magnitude), "wue": float(r.wue.magnitude),
            "wue_consumption": float(r.wue_consumption.magnitude),
            "free_hours": int(r.free_cooling_hours),
            "air_setpoint_c": float(d.air_setpoint) if d.kind == "direct_liquid" else None,
            "days": daily.days, "pue_daily": daily.pue.magnitude, "outdoor_daily": daily.outdoor.magnitude,
            "wet_bulb_daily": daily.wet_bulb.magnitude, "wue_daily": daily.wue.magnitude,
        }

    # ---- figure --------------------------------------------------------------------------------
    def draw(self, fig, result):
        from ..plotting import PALETTE, axis_label
        from ..sources import number
        ax_p, ax_t, ax_w = self.axes = fig.subplots(3, 1, sharex=True, gridspec_kw={"height_ratios": [1.3, 1, 0.8]})
        # Room right of the axes for the reference labels and above them for the annual label: the
        # curve can reach any height (legacy rooms at 1 MW: PUE > 7), so no place inside stays clear.
        fig.subplots_adjust(left=0.1, right=0.86, top=0.9, bottom=0.085, hspace=0.22)
        fig.suptitle(self.title, fontsize=12)
        days = result["days"]
        uptime = number("uptime_average_pue_2024")
        google = number("google_fleet_pue")
        at_line = ax_p.get_yaxis_transform()            # x in axes fraction, y in PUE
        self.ref_labels, self.ref_values = [], (google, uptime)
        for value, text in ((google, f"Google\nfleet {google:.2f}"), (uptime, f"industry\naverage {uptime:.2f}")):
            ax_p.axhline(value, color=PALETTE["black"], lw=0.8, ls=":")
            self.ref_labels.append(ax_p.text(1.01, value, text, transform=at_line, ha="left", va="center",
                                             fontsize=8, linespacing=1.0, clip_on=False))
        (self.pue_line,) = ax_p.plot(days, result["pue_daily"], color=PALETTE["blue"], lw=1.2, animated=True,
                                     label="daily mean")
        self.annual_line = ax_p.axhline(result["pue"], color=PALETTE["vermillion"], lw=1.2, ls="--",
                                        animated=True)
        self.label = ax_p.text(1.0, 1.03, "", transform=ax_p.transAxes, ha="right", va="bottom", fontsize=8.5,
                               animated=True)
        ax_p.set_ylim(1.0, 2.4)
        ax_p.set_ylabel("PUE")
        (self.t_line,) = ax_t.plot(days, result["outdoor_daily"], color=PALETTE["orange"], lw=1, animated=True,
                                   label="outdoor air (dry-bulb)")
        (self.wb_line,) = ax_t.plot(days, result["wet_bulb_daily"], color=PALETTE["sky_blue"], lw=1,
                                    animated=True, label="wet-bulb")
        self.set_line = ax_t.axhline(result["setpoint_c"], color=PALETTE["black"], lw=1, ls="--", animated=True,
                                     label="set-point")
        ax_t.set_ylim(-27, 45)  # the lowest tick (-20 °C) clear of the panel below
        ax_t.set_yticks([-20, 0, 20, 40])
        ax_t.set_ylabel(axis_label("Daily mean", "°C"))
        ax_t.legend(loc="lower center", ncol=3, fontsize=8, frameon=False)
        (self.w_line,) = ax_w.plot(days, result["wue_daily"], color=PALETTE["bluish_green"], lw=1.2,
                                   animated=True)
        ax_w.set_ylim(0, 3.0)
        ax_w.set_ylabel(axis_label("Water", "L/kWh IT"))  # short: the panel is low
        ax_w.set_xlabel("Day of the year")
        ax_w.set_xlim(1, len(result["days"]))
        fig.align_ylabels(self.axes)
        self.update(result)
        self._space_ref_labels()

    def update(self, result):
        self.pue_line.set_ydata(result["pue_daily"])
        self.annual_line.set_ydata([result["pue"], result["pue"]])
        self.t_line.set_ydata(result["outdoor_daily"])
        self.wb_line.set_ydata(result["wet_bulb_daily"])
        self.set_line.set_ydata([result["setpoint_c"], result["setpoint_c"]])
        self.w_line.set_ydata(result["wue_daily"])
        self.label.set_text(f"annual PUE {result['pue']:.2f}, WUE {result['wue']:.2f} L/kWh")
        top = max(2.4, float(result["pue_daily"].max()) * 1.05)
        if self.axes[0].get_ylim()[1] != top:
            self.axes[0].set_ylim(1.0, top)
            self._space_ref_labels()
        wtop = max(3.0, float(result["wue_daily"].max()) * 1.1)
        if self.axes[2].get_ylim()[1] != wtop:
            self.axes[2].set_ylim(0, wtop)

    def _space_ref_labels(self):
        """Lift the upper reference label clear of the lower one when a tall PUE axis squeezes their lines."""
        ax, renderer = self.axes[0], self.figure.canvas.get_renderer()
        (low, high), (v_low, v_high) = self.ref_labels, self.ref_values
        y_low, y_high = (ax.transData.transform((1, v))[1] for v in (v_low, v_high))
        gap = (low.get_window_extent(renderer).height + high.get_window_extent(renderer).height) / 2 + 4
        high.set_y(float(ax.transData.inverted().transform((1, max(y_high, y_low + gap)))[1]))

    def describe(self, result):
        r = result
        design = self.controls["design"].format(r["design"])
        climate = self.controls["climate"].format(r["climate"]).replace(" (", " climate (", 1)
        low, high = float(r["pue_daily"].min()), float(r["pue_daily"].max())
        free = f"{r['free_hours']:,} hours of full free cooling"
        if r["air_setpoint_c"] is not None:  # found by a reviewer: the count never moved with the set-point
            free += (f" (limited by the room-air loop at a fixed {r['air_setpoint_c']:.0f} °C supply; the "
                     f"set-point moves only the cold plates' water)")
        return (f"{design} in a {climate[0].lower() + climate[1:]} at a {r['setpoint_c']:.1f} °C set-point, "
                f"{r['it_mw']:.1f} MW of IT in a {self.CAPACITY_MW:.0f} MW hall: annual PUE {r['pue']:.2f} "
                f"(daily means {low:.2f} to {high:.2f}), cooling {r['cooling_share']:.0%} of "
                f"{r['facility_mwh']:,.0f} MWh a year, {free}, "
                f"water withdrawn {r['water_m3']:,.0f} m³ a year (WUE {r['wue']:.2f} L/kWh, of which "
                f"{r['wue_consumption']:.2f} L/kWh evaporated and the rest blowdown).")
