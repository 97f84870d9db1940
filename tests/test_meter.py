"""energylab.meter: RAPL counters (a fake powercap tree), NVML (a fake module), the CPU-time estimate
(a fake clock), the reading's text, cost and CO2, bad input, and the %%energy magic."""
from __future__ import annotations

import pathlib
import subprocess
import sys
import types

import pytest

from energylab import meter
from energylab.units import u


def fake_powercap(root: pathlib.Path, zones: dict[str, tuple[str, int, int]]) -> pathlib.Path:
    """``zones``: ``{"intel-rapl:0": ("package-0", energy_uj, max_energy_range_uj)}``."""
    for zone, (name, energy, limit) in zones.items():
        (root / zone).mkdir(parents=True)
        (root / zone / "name").write_text(name + "\n")
        (root / zone / "energy_uj").write_text(f"{energy}\n")
        (root / zone / "max_energy_range_uj").write_text(f"{limit}\n")
    return root


def set_energy(root: pathlib.Path, zone: str, energy: int) -> None:
    (root / zone / "energy_uj").write_text(f"{energy}\n")


class FakeClock:
    """CPU seconds that advance only when told to."""

    def __init__(self, start=100.0):
        self.now = start

    def __call__(self):
        return self.now


def fake_nvml(energies_mj: list[int], step_mj: list[int]):
    """A pynvml stand-in: each GPU's counter advances by its step every time it is read."""
    counters = list(energies_mj)
    calls = {"init": 0, "shutdown": 0}

    def read(handle):
        value = counters[handle]
        counters[handle] += step_mj[handle]
        return value

    module = types.SimpleNamespace(
        nvmlInit=lambda: calls.__setitem__("init", calls["init"] + 1),
        nvmlShutdown=lambda: calls.__setitem__("shutdown", calls["shutdown"] + 1),
        nvmlDeviceGetCount=lambda: len(counters),
        nvmlDeviceGetHandleByIndex=lambda i: i,
        nvmlDeviceGetTotalEnergyConsumption=read,
        calls=calls)
    return module


@pytest.fixture
def no_pynvml(monkeypatch):
    monkeypatch.setitem(sys.modules, "pynvml", None)  # `import pynvml` raises ImportError


# --- RAPL ----------------------------------------------------------------------------------------

def test_rapl_sums_package_deltas_and_not_subzones_or_duplicates(tmp_path):
    root = fake_powercap(tmp_path, {
        "intel-rapl:0": ("package-0", 1_000_000, 262_143_328_850),
        "intel-rapl:0:0": ("core", 500_000, 262_143_328_850),
        "intel-rapl:0:2": ("dram", 100_000, 65_712_999_613),
        "intel-rapl:1": ("package-1", 5_000_000, 262_143_328_850),
        "intel-rapl:2": ("psys", 0, 262_143_328_850),            # the whole platform: contains the packages
        "intel-rapl-mmio:0": ("package-0", 1_000_000, 262_143_328_850),  # a second view of package 0
    })
    with meter.measure("rapl", powercap_root=root) as m:
        set_energy(root, "intel-rapl:0", 3_000_000)        # +2 J
        set_energy(root, "intel-rapl:1", 6_500_000)        # +1.5 J
        for zone in ("intel-rapl:0:0", "intel-rapl:0:2", "intel-rapl:2", "intel-rapl-mmio:0"):
            set_energy(root, zone, 99_000_000)
    reading = m.reading
    assert reading.method == "rapl"
    assert reading.energy.to("J").magnitude == pytest.approx(3.5)
    assert reading.low < reading.energy < reading.high
    assert reading.low.to("J").magnitude == pytest.approx(3.5 * 0.95, rel=1e-3)
    assert "2 CPU packages" in reading.source and "every process" in reading.note


def test_rapl_counter_wrap_around(tmp_path):
    root = fake_powercap(tmp_path, {"intel-rapl:0": ("package-0", 999_000_000, 1_000_000_000)})
    with meter.measure("rapl", powercap_root=root) as m:
        set_energy(root, "intel-rapl:0", 2_000_000)  # wrapped: 1 J to the top, then 2 J
    assert m.reading.energy.to("J").magnitude == pytest.approx(3.0)


def test_amd_zones_are_read_too(tmp_path):
    root = fake_powercap(tmp_path, {"amd-rapl:0": ("package-0", 0, 10**12)})
    with meter.measure("rapl", powercap_root=root) as m:
        set_energy(root, "amd-rapl:0", 250_000)
    assert m.reading.energy.to("mJ").magnitude == pytest.approx(250)


def deny(monkeypatch, denied: pathlib.Path):
    """Reading ``denied`` raises PermissionError, as energy_uj does for non-root users since 2020
    (chmod would not do: the tests may run as root)."""
    original = pathlib.Path.read_text

    def read_text(self, *args, **kwargs):
        if self == denied:
            raise PermissionError(13, "Permission denied", str(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "read_text", read_text)


def test_unreadable_rapl_falls_back_and_records_why(tmp_path, monkeypatch, no_pynvml):
    root = fake_powercap(tmp_path, {"intel-rapl:0": ("package-0", 0, 10**12)})
    deny(monkeypatch, root / "intel-rapl:0" / "energy_uj")
    with meter.measure(powercap_root=root, clock=FakeClock()) as m:
        pass
    reading = m.reading
    assert reading.method == "cpu-time"
    reasons = dict(reading.skipped)
    assert "Permission denied" in reasons["rapl"] and "energy_uj" in reasons["rapl"]
    assert "pynvml" in reasons["nvml"]
    assert "rapl not used" in reading.text(detail=True)


def test_explicit_rapl_unavailable_raises_with_the_cause(tmp_path, monkeypatch):
    root = fake_powercap(tmp_path, {"intel-rapl:0": ("package-0", 0, 10**12)})
    deny(monkeypatch, root / "intel-rapl:0" / "energy_uj")
    with pytest.raises(ValueError, match=r"method='rapl'.*RAPL counters not readable: .*energy_uj: Permission denied"):
        with meter.measure("rapl", powercap_root=root):
            pass


def test_missing_powercap_folder_is_reported(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        with meter.measure("rapl", powercap_root=tmp_path / "nowhere"):
            pass
    assert "no package zone" in meter.available_methods(powercap_root=tmp_path, nvml=fake_nvml([], []))["rapl"]


# --- NVML ----------------------------------------------------------------------------------------

def test_nvml_sums_gpus_and_converts_mj_to_j(tmp_path):
    nvml = fake_nvml([10_000, 50_000], [1_500, 2_500])  # +1.5 J and +2.5 J between the two reads
    with meter.measure("nvml", nvml=nvml) as m:
        pass
    assert m.reading.method == "nvml"
    assert m.reading.energy.to("J").magnitude == pytest.approx(4.0)
    assert m.reading.low < m.reading.energy < m.reading.high
    assert "2 NVIDIA GPUs" in m.reading.source
    assert nvml.calls == {"init": 1, "shutdown": 1}


def test_auto_prefers_nvml_when_rapl_is_missing(tmp_path):
    with meter.measure(powercap_root=tmp_path / "nowhere", nvml=fake_nvml([0], [1000])) as m:
        pass
    assert m.reading.method == "nvml" and [name for name, _ in m.reading.skipped] == ["rapl"]


def test_no_gpu_means_nvml_unavailable(tmp_path):
    nvml = fake_nvml([], [])
    with pytest.raises(ValueError, match="no NVIDIA GPU"):
        with meter.measure("nvml", nvml=nvml):
            pass
    assert nvml.calls["shutdown"] == 1


# --- the CPU-time estimate -----------------------------------------------------------------------

def test_cpu_time_estimate_is_cpu_seconds_times_watts_per_core():
    clock = FakeClock()
    with meter.measure("cpu-time", clock=clock) as m:
        clock.now += 4.0
    value, low, high, _ = meter.METER_ASSUMPTIONS["watts_per_core"]
    reading = m.reading
    assert reading.cpu_time.to("s").magnitude == pytest.approx(4.0)
    assert reading.energy.to("J").magnitude == pytest.approx(4.0 * value)
    assert reading.low.to("J").magnitude == pytest.approx(4.0 * low)
    assert reading.high.to("J").magnitude == pytest.approx(4.0 * high)
    assert reading.low < reading.energy < reading.high
    assert reading.wall_time.to("s").magnitude >= 0


def test_own_watts_per_core_is_used_as_given():
    clock = FakeClock()
    with meter.measure("cpu-time", clock=clock, watts_per_core=3 * u.W) as m:
        clock.now += 2.0
    assert m.reading.energy.to("J").magnitude == pytest.approx(6.0)
    assert "your value" in m.reading.text() and "no range" in m.reading.text()


def test_text_names_the_method_and_the_uncertainty():
    clock = FakeClock()
    with meter.measure("cpu-time", clock=clock) as m:
        clock.now += 4.1
    text = str(m.reading)
    assert text == m.reading.text()
    assert text.startswith("≈ 41 J (20.5–82 J) [cpu-time]")
    assert "4.1 s of CPU time × 10 W per core (course assumption, 5–20 W)" in text and "not measured" in text
    assert "memory" in m.reading.text(detail=True)


def test_measure_call_returns_the_result_and_a_reading():
    result, reading = meter.measure_call(sum, range(1000), meter_options={"method": "cpu-time"})
    assert result == 499_500 and reading.method == "cpu-time"
    assert reading.energy.to("J").magnitude >= 0


def test_the_reading_survives_an_error_in_the_block():
    clock = FakeClock()
    with pytest.raises(ZeroDivisionError):
        with meter.measure("cpu-time", clock=clock) as m:
            clock.now += 1.0
            1 / 0  # noqa: B018
    assert m.reading.energy.to("J").magnitude == pytest.approx(10.0)


# --- cost and CO2 --------------------------------------------------------------------------------

def test_cost_and_emissions_of_a_reading():
    clock = FakeClock()
    with meter.measure("cpu-time", clock=clock, watts_per_core=1000) as m:
        clock.now += 3600.0  # 1 kW for an hour: 3.6e6 J = 1 kWh
    assert m.reading.energy.to("J").magnitude == pytest.approx(3.6e6)
    assert m.reading.cost(0.10).to("USD").magnitude == pytest.approx(0.10)
    assert m.reading.cost(12 * u.cent / u.kWh).to("USD").magnitude == pytest.approx(0.12)
    assert m.reading.emissions(400).to("gCO2e").magnitude == pytest.approx(400)
    with pytest.raises(ValueError, match="price"):
        m.reading.cost(-1)
    with pytest.raises(TypeError, match="intensity"):
        m.reading.emissions(3 * u.W)


# --- bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, error, words", [
    ({"method": "wattmeter"}, ValueError, "method must be one of 'auto', 'rapl', 'nvml', 'cpu-time'"),
    ({"method": 3}, TypeError, "method"),
    ({"watts_per_core": -5}, ValueError, r"watts_per_core must be greater than 0 \(in W\)"),
    ({"watts_per_core": 5 * u.J}, TypeError, "watts_per_core"),
    ({"clock": 3}, TypeError, "clock"),
])
def test_bad_input_names_the_argument(kwargs, error, words):
    with pytest.raises(error, match=words):
        meter.measure(**kwargs)


def test_measure_call_needs_a_callable():
    with pytest.raises(TypeError, match="fn must be a function"):
        meter.measure_call(42)
    with pytest.raises(TypeError, match="meter_options"):
        meter.measure_call(sum, [1], meter_options="cpu-time")


def test_import_is_light():
    code = "import sys, energylab.meter; print('pint' in sys.modules, 'IPython' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


# --- the %%energy magic --------------------------------------------------------------------------

@pytest.fixture
def shell():
    from IPython.core.interactiveshell import InteractiveShell
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "energylab.meter")
    yield ip
    InteractiveShell.clear_instance()


def test_energy_magic_runs_the_cell_and_stores_the_reading(shell, capsys):
    shell.run_cell("%%energy --method cpu-time\nx = sum(range(1000))")
    out = capsys.readouterr().out
    assert shell.user_ns["x"] == 499_500
    reading = shell.user_ns["_energy"]
    assert isinstance(reading, meter.EnergyReading) and reading.method == "cpu-time"
    assert "[cpu-time]" in out and "course assumption" in out


def test_energy_magic_prints_a_reading_when_the_cell_raises(shell, capsys):
    result = shell.run_cell("%%energy --method cpu-time\ny = 1\n1 / 0")
    out = capsys.readouterr().out
    assert result.error_in_exec is None  # the magic itself did not crash
    assert "ZeroDivisionError" in out and "[cpu-time]" in out
    assert shell.user_ns["y"] == 1 and "_energy" in shell.user_ns


def test_energy_magic_rejects_a_bad_option(shell, capsys):
    shell.run_cell("%%energy --watts 3\nz = 1")
    assert "unrecognized arguments: --watts 3" in capsys.readouterr().err
    shell.run_cell("%%energy --method wattmeter\nz = 1")
    assert "method must be one of" in capsys.readouterr().err
    assert "z" not in shell.user_ns and "_energy" not in shell.user_ns


def test_energy_magic_with_an_unavailable_method_says_why(shell, capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(meter, "_POWERCAP_ROOT", str(tmp_path / "nowhere"))  # even where RAPL is readable
    shell.run_cell("%%energy --method rapl\nz = 1")
    captured = capsys.readouterr()
    assert "method='rapl' cannot measure here" in captured.err + captured.out and "z" not in shell.user_ns


def test_register_magic_without_ipython_running():
    from IPython.core.interactiveshell import InteractiveShell
    InteractiveShell.clear_instance()
    assert meter.register_magic() is False
