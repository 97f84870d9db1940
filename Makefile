# Power-hungry AI — the two commands: `make lab` (open the course) and `make test` (check everything).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
NOTEBOOKS := $(wildcard chapters exercises solutions)
# Throw-away Jupyter folders so tests never read or write a user's Jupyter settings.
JUPYTER_TMP := $(CURDIR)/.jupyter-tmp
# One BLAS thread: the course's matrices are tiny, and extra threads only burn the second core
# (Binder gives one). Kernels started by nbval and the benchmarks inherit this.
TEST_ENV := MPLBACKEND=Agg PYTHONHASHSEED=0 OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 \
	JUPYTER_CONFIG_DIR=$(JUPYTER_TMP)/config JUPYTER_DATA_DIR=$(JUPYTER_TMP)/data \
	JUPYTER_RUNTIME_DIR=$(JUPYTER_TMP)/runtime IPYTHONDIR=$(JUPYTER_TMP)/ipython \
	JUPYTER_PLATFORM_DIRS=1

.PHONY: lab test exercises bench app env clean

env: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,browser,app,lint]'
	@touch $(STAMP)

# JupyterLab refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) --ServerApp.root_dir="$(CURDIR)" \
		--LabApp.default_url=/lab/tree/chapters/00_energy_accounting.ipynb $(LAB_ARGS)

test: $(STAMP)
	$(VENV)/bin/ruff check energylab tests benchmarks
	@rm -rf $(JUPYTER_TMP); mkdir -p $(JUPYTER_TMP)
	$(TEST_ENV) $(PY) -m pytest -n 2 --dist loadfile --nbval-lax --nbval-current-env \
		--nbval-sanitize-with tests/sanitize.cfg tests $(NOTEBOOKS)
	@rm -rf $(JUPYTER_TMP)

# A chapter's explorers as a standalone app (Voilà): make app CH=06
app: $(STAMP)
	$(VENV)/bin/energylab app $(or $(CH),00) $(APP_ARGS)

exercises: $(STAMP)
	$(TEST_ENV) $(PY) -m energylab assign

bench: $(STAMP)
	@rm -rf $(JUPYTER_TMP); mkdir -p $(JUPYTER_TMP)
	$(TEST_ENV) $(PY) -m benchmarks
	@rm -rf $(JUPYTER_TMP)

clean:
	rm -rf $(VENV) $(JUPYTER_TMP) build *.egg-info
