"""Property tests (hypothesis) of the invariants of energylab.models."""
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from energylab import models

from helpers import fast, log_reals, reals

approx = pytest.approx


params = log_reals(6, 13)          # 1 M … 10 T parameters
tokens = log_reals(8, 14)          # 100 M … 100 T tokens
computes = log_reals(17, 27)       # FLOP
peaks = log_reals(12, 16)          # FLOP/s
utilisations = reals(0.01, 1)
powers = reals(1, 2000)            # W
pues = reals(1, 3)
hours = reals(0.01, 1e5)
counts = st.integers(min_value=1, max_value=100_000)
scales = reals(0.01, 100)
fits = st.sampled_from(sorted(models.FITS))


# --- compute ---------------------------------------------------------------------------------------------

@fast
@given(n=params, d=tokens, k=scales)
def test_flops_linear_in_params_and_tokens(n, d, k):
    base = models.training_flops(n, d).magnitude
    assert base == approx(6 * n * d, rel=1e-12)
    assert models.training_flops(k * n, d).magnitude == approx(k * base, rel=1e-12)
    assert models.training_flops(n, k * d).magnitude == approx(k * base, rel=1e-12)


# --- energy from FLOPs -----------------------------------------------------------------------------------

@fast
@given(c=computes, peak=peaks, u1=utilisations, u2=utilisations, p=powers, pue=pues)
def test_energy_from_flops_decreases_with_utilisation(c, peak, u1, u2, p, pue):
    assume(u1 < u2)
    low = models.training_energy_from_flops(c, peak, u1, p, pue).magnitude
    high = models.training_energy_from_flops(c, peak, u2, p, pue).magnitude
    assert high <= low
    assert high * u2 == approx(low * u1, rel=1e-9)    # energy × utilisation is constant


@fast
@given(c=computes, peak=peaks, util=utilisations, p=powers, pue1=pues, pue2=pues, k=reals(1, 10))
def test_energy_from_flops_increases_with_pue_and_power(c, peak, util, p, pue1, pue2, k):
    assume(pue1 < pue2)
    base = models.training_energy_from_flops(c, peak, util, p, pue1).magnitude
    assert models.training_energy_from_flops(c, peak, util, p, pue2).magnitude >= base
    assert models.training_energy_from_flops(c, peak, util, k * p, pue1).magnitude >= base
    assert models.training_energy_from_flops(c, peak, util, k * p, pue1).magnitude == approx(k * base, rel=1e-9)


@fast
@given(c=computes, peak=peaks, util=utilisations, p=powers, pue=pues, n=counts)
def test_both_energy_routes_agree(c, peak, util, p, pue, n):
    duration = models.training_time(c, n, peak, util)
    from_hardware = models.training_energy_from_hardware(n, duration, p, pue).magnitude
    assert from_hardware == approx(models.training_energy_from_flops(c, peak, util, p, pue).magnitude, rel=1e-9)
    assert models.implied_utilisation(c, n, duration, peak).magnitude == approx(util, rel=1e-9)


# --- energy from hardware --------------------------------------------------------------------------------

@fast
@given(n=counts, h1=hours, h2=hours, p=powers, pue1=pues, pue2=pues)
def test_energy_from_hardware_increases_with_hours_and_pue(n, h1, h2, p, pue1, pue2):
    h1, h2 = sorted((h1, h2))  # ordered by construction: assume() would discard half the examples or more
    pue1, pue2 = sorted((pue1, pue2))
    base = models.training_energy_from_hardware(n, h1, p, pue1).magnitude
    assert base == approx(n * h1 * p / 1000 * pue1, rel=1e-9)
    assert models.training_energy_from_hardware(n, h2, p, pue1).magnitude >= base
    assert models.training_energy_from_hardware(n, h1, p, pue2).magnitude >= base
    assert models.training_energy_from_hardware(n, days=h1 / 24, power=p, pue=pue1).magnitude == approx(base)


# --- compute-optimal size ----------------------------------------------------------------------------------

@fast
@given(c=computes, k=st.one_of(st.none(), reals(1, 200)))
def test_chinchilla_optimal_round_trip(c, k):
    best = models.chinchilla_optimal(c, tokens_per_param=k)
    n, d = best.n_params.magnitude, best.n_tokens.magnitude
    assert models.training_flops(n, d).magnitude == approx(c, rel=1e-9)
    assert d / n == approx(20 if k is None else k, rel=1e-9)


@fast
@given(c=computes, fit=fits, step=st.sampled_from([1.001, 1.01, 1.1, 2.0]))
def test_iso_flop_loss_is_lowest_at_the_closed_form_optimum(c, fit, step):
    best = models.fitted_optimal(c, fit=fit)
    n_opt = best.n_params.magnitude
    assert 6 * n_opt * best.n_tokens.magnitude == approx(c, rel=1e-9)
    curve = models.iso_flop_curve(c, np.array([n_opt / step, n_opt, n_opt * step]), fit=fit)
    assert curve.n_tokens.magnitude[1] == approx(best.n_tokens.magnitude, rel=1e-9)
    below, at, above = curve.loss.magnitude
    assert at <= below and at <= above
