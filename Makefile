# `make run` runs the main job; `make test` runs the whole suite. Both build .venv/ first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint format venv clean

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml setup.py runtime/_fieldkernels.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The main job: a sealed-bid auction computed by 5 parties (threshold 1) on the embedded
# local MPC backend; the three bids arrive as client inputs and only the maximum is opened.
run: venv
	$(BIN)/stoffel run examples/auction.stfl --backend local --parties 5 --threshold 1 \
	  --client-input 0=120 --client-input 1=345 --client-input 2=230

test: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -q

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) build *.egg-info
