# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint install clean fuzz

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## run: the coach in your browser (the web app on the embedded SQLite database)
run: $(STAMP)
	$(BIN)/failwise serve

## lint: ruff, formatting, mypy strict, import contracts
lint: $(STAMP)
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
fuzz: $(STAMP)
	FAILWISE_FUZZ_CASES=5000 FAILWISE_FUZZ_SCALE=20 $(BIN)/pytest -m fuzz -s \
		tests/security/test_fuzz_api.py tests/test_importers.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
