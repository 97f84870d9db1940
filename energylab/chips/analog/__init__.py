"""Analog in-memory computing: a matrix–vector product where the weights are stored, and what it costs.

Chapter 04's hardware models, unit-aware and vectorised, one module per subject:

* :mod:`.crossbar` — weights → differential conductance pairs (optionally bit-sliced), the crossbar
  product by Ohm's and Kirchhoff's laws with amplitude or pulse-width inputs;
* :mod:`.converters` — DACs and ADCs through the shared quantiser, ENOB, converter energy from the Walden
  and Schreier figures of merit;
* :mod:`.pcm` — phase-change devices: programming noise, drift G(t) = G(t0)·(t/t0)^−ν, read noise, global
  drift compensation (the statistical model of Nandakumar et al. 2019 as in Rasch et al. 2021);
* :mod:`.ir_drop` — the voltage lost along a resistive line (a ladder solve), against r·G·N²/2;
* :mod:`.charge` — charge-domain computing on matched capacitors, the contrast: no drift, small mismatch;
* :mod:`.energy` — energy per MVM and per MAC of a tile (cells, ADCs, DACs, periphery), the digital INT8
  baseline, and the published chips, each labelled with what its figure counts.

Units: conductances in S (µS is usual), voltages in V, times in s, currents in A, charges in C, energies in J.
Plain numbers are read in those units; quantities in any compatible unit are converted.

    >>> from energylab.chips import analog
    >>> from energylab.units import u
    >>> print(analog.programming_sigma(12.5 * u.uS))
    0.9527 µS
    >>> print(analog.tile_energy(256, 256, adc_bits=8).tops_per_w.to("TOPS/W").round(1))
    87.9 TOPS / W
"""
from __future__ import annotations

from .charge import charge_domain_mvm
from .converters import DEFAULT_SCHREIER_FOM, DEFAULT_WALDEN_FOM, adc, adc_energy, dac, dac_energy, enob
from .crossbar import ENCODINGS, ConductanceMap, crossbar_mvm, to_conductance
from .energy import (
    COURSE_ASSUMPTIONS,
    SCOPES,
    T_READ,
    V_READ,
    PublishedChip,
    TileEnergy,
    digital_mac_energy,
    published_chips,
    tile_energy,
)
from .ir_drop import far_end_error_estimate, ir_drop_line
from .pcm import (
    PCMModel,
    drift,
    drift_exponents,
    global_drift_compensation,
    pcm_model,
    program,
    programming_sigma,
    read,
    read_noise_sigma,
)

__all__ = [
    "to_conductance", "ConductanceMap", "crossbar_mvm", "ENCODINGS",
    "dac", "adc", "enob", "adc_energy", "dac_energy", "DEFAULT_WALDEN_FOM", "DEFAULT_SCHREIER_FOM",
    "PCMModel", "pcm_model", "programming_sigma", "program", "drift_exponents", "drift", "read_noise_sigma",
    "read", "global_drift_compensation",
    "ir_drop_line", "far_end_error_estimate", "charge_domain_mvm",
    "TileEnergy", "tile_energy", "digital_mac_energy", "PublishedChip", "published_chips", "SCOPES",
    "COURSE_ASSUMPTIONS", "V_READ", "T_READ",
]
