"""energylab.formatting: every number-to-text format the course prints."""
import math

import pytest

from energylab import formatting
from energylab.formatting import fmt, in_words, rounded, si, si_scale
from energylab.units import Q_, u


@pytest.mark.parametrize("q, unit, sig, text", [
    (1.2873e6 * u.kWh, "MWh", 3, "1,290 MWh"), (1.2873e6 * u.kWh, "MWh", 4, "1,287 MWh"),
    (0.24 * u.Wh, None, 3, "0.24 Wh"), (3.14e23 * u.FLOP, None, 3, "3.14e23 FLOP"),
    (Q_([325, 580], "TWh"), None, 3, "325–580 TWh"), (2.5 * u.m**3, None, 3, "2.5 m³"), (0.0, None, 3, "0"),
    (12.5, None, 3, "12.5"), (45 * u.percent, None, 3, "45 %"),
])
def test_fmt(q, unit, sig, text):
    assert fmt(q, unit, sig=sig) == text


@pytest.mark.parametrize("x, kw, expected", [
    (1367.2, {}, "1,367"), (14.016, {}, "14.0"), (0.175, {}, "0.175"), (0.004381, {}, "0.00438"),
    (110.14, {"decimals": 1}, "110.1"), (0.0876, {"decimals": 1}, "0.0876"), (0.0, {}, "0"),
])
def test_significant_keeps_small_values_readable(x, kw, expected):
    assert formatting.significant(x, **kw) == expected


@pytest.mark.parametrize("share, expected", [
    (0.0033884, "0.34%"), (0.034, "3.4%"), (0.0999, "10%"), (0.2133, "21%"), (0.9996, "99.9%"),
    (1.0, "100%"), (0.0, "0%"),
])
def test_percent_keeps_small_shares_readable(share, expected):
    assert formatting.percent(share) == expected


@pytest.mark.parametrize("x, digits, expected", [
    (15, 3, "15.0"), (0.0468, 3, "0.0468"), (1234.5, 3, "1,230"), (99.96, 3, "100"), (9.96, 2, "10"),
    (0.0, 3, "0"), (-0.123456, 2, "-0.12"),
])
def test_rounded_rounds_whole_digits_and_never_adds_one(x, digits, expected):
    assert rounded(x, digits) == expected


@pytest.mark.parametrize("value, unit, sig, kw, expected", [
    (3.94e7, "FLOP", 2, {}, "39 MFLOP"), (1.3e-4, "J", 2, {}, "130 µJ"), (0.0, "J", 2, {}, "0 nJ"),
    (999.7, "J", 3, {}, "1.00 kJ"),                                        # rounding reaches 1,000: next prefix
    (999.7e12, "FLOP", 3, {}, "1,000 TFLOP"),                             # no prefix above T by default
    (2e18, "FLOP", 2, {"prefixes": ("P", "T", "G")}, "2,000 PFLOP"),
    (512, "FLOP", 3, {"prefixes": ("P", "T", "G", "M", "")}, "512 FLOP"),
    (2.5e-4, "s", 3, {"prefixes": ("", "m", "µ", "n")}, "250 µs"), (12.0, "s", 3, {"prefixes": ("", "m")}, "12.0 s"),
])
def test_si_picks_a_prefix_from_the_size(value, unit, sig, kw, expected):
    assert si(value, unit, sig, **kw) == expected


def test_si_scale_uses_the_smallest_prefix_for_tiny_values():
    assert si_scale(3.9e7) == (1e6, "M")
    assert si_scale(1e-12) == (1e-9, "n")
    assert si_scale(5e3, ("M", "")) == (1.0, "")


@pytest.mark.parametrize("value, kw, expected", [
    (3.22e10, {}, "32.2 billion"), (7e8, {"short": True}, "700 M"), (1.5e12, {}, "1.5 trillion"),
    (700_000, {}, "700,000"), (2e-5, {}, "0.00002"),
])
def test_in_words(value, kw, expected):
    assert in_words(value, **kw) == expected


def test_the_old_homes_re_export_the_same_functions():
    from energylab import plotting, units
    assert units.fmt is formatting.fmt
    assert (plotting.rounded, plotting.significant, plotting.percent) == (rounded, formatting.significant,
                                                                          formatting.percent)
    assert not math.isnan(float(rounded(1.0, 3)))
