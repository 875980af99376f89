# The two commands a newcomer needs: `make demo` (build the seed graph into exports/)
# and `make test` (the whole test suite). Both create .venv and install on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint compile bench clean

$(STAMP): pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/kg build seeds/ --out exports/

test: $(STAMP)
	$(BIN)/python -m pytest

# Compile the rules again after editing kg/extract (setup.py; until then the sources run).
compile: $(STAMP)
	$(BIN)/python setup.py --quiet build_ext --inplace

lint: $(STAMP)
	$(BIN)/ruff check kg tests setup.py
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build
	rm -f kg/extract/*.so kg_extract__mypyc.*.so kg/extract/compiled.json
