# Two commands for a fresh clone: `make demo` and `make test`. Everything installs from pyproject.toml.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test bench reliability clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

# Tests run in TEST_WORKERS processes (pytest-xdist; `auto` is one per core, 0 runs them in this one).
TEST_WORKERS ?= auto
test: $(STAMP)
	$(PY) -m pytest -q -n $(TEST_WORKERS)

# The long form of the reliability tests (more seeds, bigger replicas); `make test` runs the short form.
# Figures for RELIABILITY.md land in reliability-results.jsonl.
RELIABILITY_TESTS := tests/test_reliability.py tests/test_kills.py tests/test_full_disk.py tests/test_suspects.py tests/test_parser_fuzz.py
reliability: $(STAMP)
	rm -f reliability-results.jsonl
	DBP_RELIABILITY=long DBP_RELIABILITY_REPORT=reliability-results.jsonl $(PY) -m pytest -q $(RELIABILITY_TESTS)

demo: $(STAMP)
	$(PY) -m crawler.demo

# The bench's smoke test (tests/test_bench_smoke.py) runs every section small, so the test venv
# has the bench extra too.
bench: $(STAMP)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) demo bench/results.json reliability-results.jsonl
