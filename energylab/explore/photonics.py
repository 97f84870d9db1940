"""Chapter 05's optical explorer: a Mach–Zehnder mesh's fidelity and its energy per MAC.

* :class:`MeshExplorer` — mesh size, loss per MZI, phase error and the kind of phase shifter move the fidelity of
  Clements and Reck meshes (one fixed random unitary per size) and the energy per MAC by part, against chapter 04's
  digital INT8 MAC.

Every size's unitary, its two decompositions, its phase-error draws and an SVD mesh of a random weight matrix (for
the heaters' power) are computed once, on first use (about 0.2 s in all); a control change then rebuilds only the
meshes' matrices (a few milliseconds),
and only when the loss or the phase error changes: the fidelity curves are cached per (loss, σ).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from .base import Choice, Explorer, Slider

__all__ = ["MeshExplorer"]

SIZES = (4, 8, 12, 16, 20, 24, 28, 32)
_SEED = 0


@lru_cache(maxsize=len(SIZES))
def _meshes(n: int):
    """(target unitary, Clements mesh, Reck mesh, unit phase-error draws of each) for N modes."""
    from ..chips import optical
    target = optical.random_unitary(n, seed=_SEED + n)
    meshes = (optical.clements(target), optical.reck(target))
    draws = np.random.default_rng(_SEED + 100 + n)
    errors = tuple((draws.standard_normal(m.n_mzis), draws.standard_normal(m.n_mzis)) for m in meshes)
    return target, meshes, errors


@lru_cache(maxsize=len(SIZES))
def _energy_per_mac(n: int) -> dict:
    """Energy per MAC by part (fJ) of an N × N MVM under the course assumptions; heaters of thermo-optic
    shifters from an SVD mesh of a random weight matrix."""
    from ..chips import optical
    from ..chips.optical.energy import heater_power, mvm_energy
    mesh = optical.svd_mesh(np.random.default_rng(_SEED + 200 + n).standard_normal((n, n)))
    parts = mvm_energy(n, heater_watts=float(heater_power(mesh).to("W").magnitude))
    per_mac = {k: v / n ** 2 * 1e15 for k, v in parts.items()}
    return {"edges": per_mac["inputs"] + per_mac["outputs"] + per_mac["periphery"], "light": per_mac["light"],
            "heaters": per_mac["static"]}


@lru_cache(maxsize=1)
def _digital_fj() -> float:
    from ..chips import analog
    return float(analog.digital_mac_energy().to("fJ").magnitude)


def _fidelities(n: int, loss: float, sigma: float) -> tuple:
    from ..chips import optical
    target, meshes, errors = _meshes(n)
    return tuple(optical.fidelity(target, mesh.matrix(loss, sigma * e[0], sigma * e[1]))
                 for mesh, e in zip(meshes, errors))


@lru_cache(maxsize=128)
def _curves(loss: float, sigma: float) -> np.ndarray:
    """Fidelity of (Clements, Reck) at every size in SIZES, shape (len(SIZES), 2): a change of N or of the
    shifters then reads the curve instead of rebuilding all sixteen meshes."""
    return np.array([_fidelities(size, loss, sigma) for size in SIZES])


class MeshExplorer(Explorer):
    """Fidelity of Clements and Reck meshes with loss and phase errors, and the energy of one optical MAC.

    Controls: ``n`` (modes), ``loss`` (dB per MZI), ``sigma`` (phase error, rad, on both phases of every MZI) and
    ``shifters`` (thermo-optic heaters holding the phases, or non-volatile shifters at no static power). The
    energy per MAC uses the course assumptions of :mod:`energylab.chips.optical.energy`.
    """

    title = "A mesh of interferometers: fidelity and energy"
    figsize = (9.0, 4.0)
    tight_layout = False

    controls = {
        "n": Slider("Modes N", 4, 32, 4, 16, fmt="{:.0f}"),
        "loss": Slider("Loss per MZI", 0.0, 1.0, 0.05, 0.2, unit="dB", fmt="{:.2f}"),
        "sigma": Slider("Phase error σ", 0.0, 0.1, 0.005, 0.0, unit="rad", fmt="{:.3f}"),
        "shifters": Choice("Phase shifters", [("thermo-optic (heaters)", "thermo-optic"),
                                              ("non-volatile", "non-volatile")], "thermo-optic"),
    }

    def compute(self, n, loss, sigma, shifters):
        n, loss, sigma = int(n), float(loss), float(sigma)
        # slider values are multiples of their steps; rounding makes equal settings share one cache entry
        curves = _curves(round(loss, 6), round(sigma, 6))
        heated = shifters == "thermo-optic"
        energy = {size: dict(_energy_per_mac(size), heaters=_energy_per_mac(size)["heaters"] if heated else 0.0)
                  for size in SIZES}
        here = energy[n]
        total = sum(here.values())
        _, meshes, _ = _meshes(n)
        return {"n": n, "loss": loss, "sigma": sigma, "shifters": shifters, "sizes": np.array(SIZES),
                "clements": curves[:, 0], "reck": curves[:, 1],
                "fidelity": dict(zip(("clements", "reck"), curves[SIZES.index(n)])),
                "depths": (meshes[0].depth, meshes[1].depth), "mzis": meshes[0].n_mzis,
                "totals": np.array([sum(e.values()) for e in energy.values()]),
                "edges": np.array([e["edges"] for e in energy.values()]),
                "parts": here, "total_fj": total, "digital_fj": _digital_fj(),
                "ratio": total / _digital_fj(), "dominant": max(here, key=here.get)}

    def draw(self, fig, result):
        from ..plotting import PALETTE, axis_label
        self.ax_f, self.ax_e = fig.subplots(1, 2)
        fig.subplots_adjust(left=0.08, right=0.98, top=0.86, bottom=0.14, wspace=0.3)
        fig.suptitle(self.title, fontsize=12)
        sizes = result["sizes"]
        (self.clements,) = self.ax_f.plot(sizes, result["clements"], marker="o", color=PALETTE["blue"],
                                          label="Clements (depth N)", animated=True)
        (self.reck,) = self.ax_f.plot(sizes, result["reck"], marker="s", color=PALETTE["vermillion"],
                                      label="Reck (depth 2N − 3)", animated=True)
        self.here_f = self.ax_f.axvline(result["n"], color="0.6", lw=1, animated=True)
        self.ax_f.set_ylim(0, 1.02)
        self.ax_f.set(xlabel="Modes N", ylabel="Fidelity F", title="one random unitary per N")
        self.ax_f.legend(fontsize=8, loc="lower left", frameon=False)
        (self.total,) = self.ax_e.plot(sizes, result["totals"], marker="o", color=PALETTE["orange"],
                                       label="total", animated=True)
        self.ax_e.plot(sizes, result["edges"], marker=".", color=PALETTE["bluish_green"], ls="--",
                       label="conversions and periphery")
        self.ax_e.axhline(result["digital_fj"], color=PALETTE["black"], lw=1, label="digital INT8 MAC")
        self.here_e = self.ax_e.axvline(result["n"], color="0.6", lw=1, animated=True)
        self.ax_e.set_yscale("log")
        self.ax_e.set_ylim(5, 2e5)
        self.ax_e.set(xlabel="Modes N", ylabel=axis_label("Energy per MAC", "fJ"), title="one N × N MVM ÷ N² MACs")
        self.ax_e.legend(fontsize=8, loc="upper right", frameon=False)
        self.label = self.ax_e.text(0.02, 0.04, "", transform=self.ax_e.transAxes, fontsize=8, animated=True,
                                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85})
        self.update(result)

    def update(self, result):
        self.clements.set_ydata(result["clements"])
        self.reck.set_ydata(result["reck"])
        self.total.set_ydata(result["totals"])
        for line in (self.here_f, self.here_e):
            line.set_xdata([result["n"], result["n"]])
        self.label.set_text(f"N = {result['n']}: {result['total_fj']:,.0f} fJ per MAC, "
                            f"{result['ratio']:.2g}× the digital MAC")

    def describe(self, result):
        r = result
        f = r["fidelity"]
        words = {"edges": "the conversions and periphery", "light": "the light", "heaters": "the heaters"}
        return (f"With {r['n']} modes ({r['mzis']} MZIs per unitary; depth {r['depths'][0]} for Clements, "
                f"{r['depths'][1]} for Reck), {r['loss']:.2f} dB per MZI and phase errors of {r['sigma']:.3f} rad, "
                f"the Clements mesh reaches a fidelity of {f['clements']:.4f} and the Reck mesh {f['reck']:.4f}. "
                f"One MAC costs {r['total_fj']:,.0f} fJ with {r['shifters']} phase shifters, mostly "
                f"{words[r['dominant']]}: {r['ratio']:.2g}× the digital INT8 MAC's {r['digital_fj']:,.0f} fJ.")
