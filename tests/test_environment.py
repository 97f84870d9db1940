"""The package and its environments agree: pyproject.toml, environment.yml, postBuild, Makefile."""
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _spec(requirement: str) -> str:
    return requirement.strip()[len(_name(requirement)):].replace(" ", "")


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def conda_packages():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    return env, [d for d in env["dependencies"] if isinstance(d, str)]


def test_environment_yml_has_the_same_packages_and_versions_as_pyproject():
    project = pyproject()
    wanted = {_name(r): _spec(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    env, deps = conda_packages()
    conda = {_name(d): _spec(d) for d in deps if _name(d) not in ("python", "pip")}
    assert conda == wanted, "environment.yml and pyproject.toml disagree; keep them in step"
    assert env["channels"] == ["conda-forge"]
    assert not any(isinstance(d, dict) for d in env["dependencies"]), "no pip section: postBuild installs energylab"


def test_no_heavy_packages():
    names = {_name(r) for r in pyproject()["dependencies"]}
    assert names == {"numpy", "matplotlib", "ipywidgets", "jupyterlab", "nbval", "pint"}
    assert not names & {"pandas", "torch", "scikit-learn", "tensorflow", "scipy"}


def test_postbuild_installs_energylab_without_dependencies():
    text = (ROOT / "postBuild").read_text()
    assert text.startswith("#!") and re.search(r"^set -e", text, re.M)
    assert re.search(r"pip install --no-deps \.$", text, re.M)
    assert (ROOT / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"


def test_makefile_has_the_documented_targets():
    text = (ROOT / "Makefile").read_text()
    for target in ("lab", "test", "exercises", "bench"):
        assert re.search(rf"^{target}:", text, re.M), target
    assert "-m venv" in text and "pytest" in text


def test_ci_runs_make_test():
    text = (ROOT / ".ci" / "run").read_text()
    assert "make test" in text and "set -e" in text


def test_console_script_and_module_entry_point():
    script = pyproject()["scripts"]["energylab"]
    assert script == "energylab.cli:main"
    out = subprocess.run([sys.executable, "-m", "energylab", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "assign" in out.stdout
    bad = subprocess.run([sys.executable, "-m", "energylab", "assign", "--solutions", "no/such/dir"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "No solutions notebooks" in bad.stderr and "Traceback" not in bad.stderr


def test_import_is_light():
    code = ("import sys, energylab; heavy = {'pint', 'matplotlib', 'ipywidgets', 'numpy'} & set(sys.modules); "
            "print(sorted(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
