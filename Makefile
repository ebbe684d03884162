# Two commands for a fresh clone: `make demo` and `make test`. Everything installs from pyproject.toml.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(VENV)/.bench-installed: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

test: $(STAMP)
	$(PY) -m pytest -q

demo: $(STAMP)
	$(PY) -m crawler.demo

bench: $(VENV)/.bench-installed
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) demo bench/results.json
