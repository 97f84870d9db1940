"""The course's unit registry: its own units, readable printing and input checks."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from energylab.units import (HOURS_PER_YEAR, as_choice, as_fraction, as_number, as_quantity, as_whole,
                             describe_dimension, plain, u)


@pytest.mark.parametrize("text, unit, expected", [
    ("1 tCO2e", "kgCO2e", 1000), ("1 lbCO2e", "gCO2e", 453.59237), ("1 PFLOP/s * day", "FLOP", 8.64e19),
    ("1 year", "h", HOURS_PER_YEAR), ("1 B", "bit", 8), ("1 GB/s", "MB/s", 1000), ("1 USD", "cent", 100),
    ("1 m**3", "L", 1000), ("1 kWh", "MJ", 3.6), ("1 TWh", "GWh", 1000),
])
def test_course_units_convert(text, unit, expected):
    assert u.Quantity(text).to(unit).magnitude == pytest.approx(expected)


def test_information_has_its_own_dimension():
    assert (1 * u.B).dimensionality == (1 * u.GB).dimensionality != (1 * u.dimensionless).dimensionality
    assert (1 * u.FLOP / u.B).dimensionality != (1 * u.FLOP).dimensionality
    assert (1 * u.TB / u.s).dimensionality != (1 * u.Hz).dimensionality
    assert hash(80 * u.GB) == hash(80 * u.GB)


def test_quantities_print_rounded():
    q = (3 * u.kWh).to("MJ")
    assert str(q) == "10.8 MJ" and q._repr_html_() == "10.8 MJ"
    assert "10.799999" not in repr(q)


def test_describe_dimension():
    assert describe_dimension(u.kWh) == "an energy (e.g. kWh)"
    assert describe_dimension(3 * u.gCO2e / u.kWh) == "a carbon intensity (e.g. gCO2e/kWh)"
    assert describe_dimension(u.dimensionless) == "a pure number"
    assert "W/d" in describe_dimension(u.W / u.day)


def test_as_quantity_converts_and_reads_plain_numbers():
    assert as_quantity(3, "kW", "power").magnitude == 3
    assert as_quantity(3 * u.MW, "kW", "power").magnitude == 3000
    arr = as_quantity(np.array([1, 2]) * u.W, "kW", "power")
    assert arr.magnitude.shape == (2,)


@pytest.mark.parametrize("bad, exc, pattern", [
    ("3", TypeError, "power must be a number in kW"), (None, TypeError, "power"), (True, TypeError, "power"),
    (3 * u.kWh, TypeError, "power must be a power.*got 3 kWh, which is an energy"),
    (float("nan"), ValueError, "power must be finite.*kW"), (-1, ValueError, "cannot be negative.*kW"),
    ([1, "a"], TypeError, "power"),
])
def test_as_quantity_rejects_bad_input(bad, exc, pattern):
    with pytest.raises(exc, match=pattern):
        as_quantity(bad, "kW", "power", nonnegative=True)


def test_as_quantity_minimum_and_scalars_only():
    with pytest.raises(ValueError, match="pue must be at least 1"):
        as_quantity(0.9, "dimensionless", "pue", minimum=1)
    with pytest.raises(TypeError, match="single number"):
        as_quantity([1, 2], "kW", "power", allow_array=False)


@settings(max_examples=50, deadline=None)
@given(st.floats(min_value=1e-6, max_value=1e12))
def test_round_trips(x):
    assert (x * u.kWh).to("J").to("kWh").magnitude == pytest.approx(x)
    assert (x * u.tCO2e).to("lbCO2e").to("tCO2e").magnitude == pytest.approx(x)


# --- the validator family -----------------------------------------------------------------------------

@pytest.mark.parametrize("call, exc, pattern", [
    (lambda: as_quantity(2, "dimensionless", "x", maximum=1), ValueError, r"x must be at most 1 .*got 2"),
    (lambda: as_quantity(-1, "dimensionless", "rate", above=-1), ValueError, r"rate must be greater than -1"),
    (lambda: as_quantity(1, "dimensionless", "eta", below=1), ValueError, r"eta must be less than 1"),
    (lambda: as_quantity(0.5, "dimensionless", "pue", minimum=1, hint="Why."), ValueError, r"at least 1 .*Why\.$"),
    (lambda: as_quantity(3, "year", "years", positive=True) and as_quantity(0, "year", "t", positive=True),
     ValueError, r"t must be greater than 0 \(in yr\)"),
    (lambda: as_fraction(1.5, "p", allow_zero=True, what="a probability", example=0.6), ValueError,
     r"p must be a probability in \[0, 1\] \(a probability such as 0.6, or 60 \* u.percent\)"),
    (lambda: as_fraction(0, "utilisation"), ValueError, r"utilisation must be in \(0, 1\]"),
    (lambda: as_number([1, 2], "lr"), TypeError, r"lr must be a single number"),
    (lambda: as_whole(2.5, "n"), ValueError, r"n must be a whole number \(at least 1\); got 2.5"),
    (lambda: as_whole([3, 0], "n"), ValueError, r"n must be at least 1 \(a whole number\); got 0"),
    (lambda: as_whole(4.0, "bits", exact=True, what="bits"), TypeError, r"bits must be a whole number of bits"),
    (lambda: as_whole(True, "bits", exact=True), TypeError, r"bits must be a whole number"),
    (lambda: as_whole(17, "bits", minimum=2, maximum=16, exact=True, what="bits"), ValueError,
     r"bits must be between 2 and 16 \(a whole number of bits\); got 17"),
    (lambda: as_choice(3, "fmt", ("int8", "fp16")), TypeError, r"fmt must be one of 'int8', 'fp16'; got int 3"),
    (lambda: as_choice("int3", "fmt", ("int8", "fp16")), ValueError, r"fmt must be one of 'int8', 'fp16'"),
])
def test_validators_name_the_argument_the_bound_and_the_unit(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


def test_validators_return_what_they_checked():
    assert as_number(50 * u.percent, "share") == 0.5
    assert as_whole(3.0, "n") == 3 and as_whole([1, 2], "n").dtype == np.int64
    assert as_whole(np.int32(8), "bits", exact=True) == 8
    assert as_fraction(0, "p", allow_zero=True).magnitude == 0
    assert as_choice("Free cooling", "kind", ("free_cooling", "chiller")) == "free_cooling"
    assert as_choice("Hot-dry", "climate", ("cold", "hot-dry")) == "hot-dry"       # returned as written
    assert as_choice("tpu v4", "name", ("TPU v4",), aliases={"tpuv4": "TPU v4"}) == "TPU v4"
    assert as_choice("tpuv4", "name", ("TPU v4",), aliases={"tpuv4": "TPU v4"}) == "TPU v4"
    assert plain([1, 2], "kWh").units == u.kWh and isinstance(plain(3).magnitude, float)
