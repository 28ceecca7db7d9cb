# Two commands on a fresh machine (see README): `make run` and `make test`.
# The virtual environment is .venv unless VENV=... is given (.ci/run uses a fresh one).

VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --quiet --disable-pip-version-check
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test venv chromium java

venv:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PIP) install -r requirements.txt

run: venv
	$(VENV)/bin/streamlit run app.py

# Browser tests need Debian chromium; install it when root, else they skip
# (and fail under CI=true).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "$(CHROMIUM) missing: run \`sudo apt-get install chromium\` for the browser tests"; \
	  fi; \
	fi

# Spark tests need a Java runtime (Debian's default-jre-headless); install it when
# root, else they skip (and fail under DX_REQUIRE_SPARK=1, as in .ci/run).
java:
	@if ! command -v java >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; \
	  else \
	    echo "java missing: run \`sudo apt-get install default-jre-headless\` for the Spark tests"; \
	  fi; \
	fi

test: venv chromium java
	$(PY) -m pytest -n 2
