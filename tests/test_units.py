"""The course's unit registry: its own units, readable printing and input checks."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from energylab.units import HOURS_PER_YEAR, Q_, as_quantity, describe_dimension, fmt, u


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


@pytest.mark.parametrize("q, unit, sig, text", [
    (1.2873e6 * u.kWh, "MWh", 3, "1,290 MWh"), (1.2873e6 * u.kWh, "MWh", 4, "1,287 MWh"),
    (0.24 * u.Wh, None, 3, "0.24 Wh"), (3.14e23 * u.FLOP, None, 3, "3.14e23 FLOP"),
    (Q_([325, 580], "TWh"), None, 3, "325–580 TWh"), (2.5 * u.m**3, None, 3, "2.5 m³"), (0.0, None, 3, "0"),
    (12.5, None, 3, "12.5"), (45 * u.percent, None, 3, "45 %"),
])
def test_fmt(q, unit, sig, text):
    assert fmt(q, unit, sig=sig) == text


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
