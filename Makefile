# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
# Two stamps: `make run` installs what the app needs and nothing more (no test tools in a
# lifter's environment); `make test`, lint, fuzz and CI add the dev extra: the test tools
# and the PostgreSQL driver (the postgresql extra) the tests use.
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev

.PHONY: run test lint install clean fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUNTIME): pyproject.toml | $(BIN)/python
	$(PIP) -e .
	touch $(RUNTIME)

$(DEV): pyproject.toml | $(BIN)/python
	$(PIP) -e '.[dev]'
	touch $(DEV) $(RUNTIME)

## install: the app with its development tools and PostgreSQL driver (what CI audits)
install: $(DEV)

## run: the coach in your browser (the web app on the embedded SQLite database)
run: $(RUNTIME)
	$(BIN)/failwise serve

## lint: ruff, formatting, mypy strict, import contracts
lint: $(DEV)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports

# The browser tests drive Debian's Chromium (browsers cannot be downloaded).
CHROMIUM ?= /usr/bin/chromium
$(CHROMIUM):
	@echo "Installing Debian's chromium for the browser tests"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

## test: lint, then the whole test suite (doctests and browser tests included)
test: lint $(CHROMIUM)
	$(BIN)/pytest

## fuzz: the full fuzzing runs (make test runs short ones): 5,000+ generated API requests
## (schemathesis), and 20 times the importers' property-test examples
fuzz: $(DEV)
	FAILWISE_FUZZ_CASES=5000 FAILWISE_FUZZ_SCALE=20 $(BIN)/pytest -m fuzz -s \
		tests/security/test_fuzz_api.py tests/test_importers.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
