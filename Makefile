# Set-up and everyday commands. `make run` and `make test` work on a fresh machine.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SEED ?= 7
SKUS ?= 5000
SHOPPERS ?= 2000
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: setup browser run test lint typecheck bench clean

$(BIN)/concierge: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(BIN)/concierge ## create the virtual environment and install the project

browser: ## the Chromium the web page tests drive (apt-get, only where it is missing)
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

data/concierge.db: | $(BIN)/concierge
	$(BIN)/concierge init --seed $(SEED) --skus $(SKUS) --shoppers $(SHOPPERS)

run: setup data/concierge.db ## build the demo store (once) and serve the API
	$(BIN)/concierge serve

test: setup browser ## lint, type-check and run the tests
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
