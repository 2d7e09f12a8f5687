# The two commands of the README: `make demo` and `make test`. Both install first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test unit lint schemas services-up chromium clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -U pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test,dashboard]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(VENV)/bin/helhed demo $(DEMO_ARGS)

test: install services-up chromium
	$(PY) -m pytest $(PYTEST_ARGS)

unit: install
	$(PY) -m pytest tests/unit $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy shared services bench

schemas: install
	$(VENV)/bin/helhed schemas --out docs/schemas

services-up:
	bash deploy/ensure-services.sh

# the dashboard's browser tests drive Debian's Chromium through its ChromeDriver
chromium:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver)

clean:
	rm -rf $(VENV) var test-artifacts
