# newsdesk: `make run` opens the reader on the bundled corpus; `make test` runs the suite.
# Both create .venv and install the project (with its test extras) only when needed.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.newsdesk-installed

.PHONY: run test lint bench bench-quick clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dask]'
	@# Whoosh-Reloaded imports as `whoosh`: the original distribution must never sit beside it.
	@if $(PY) -m pip show --quiet whoosh >/dev/null 2>&1; then \
		echo "removing the original Whoosh (newsdesk uses Whoosh-Reloaded)"; \
		$(PY) -m pip uninstall --quiet --yes whoosh; \
		$(PY) -m pip install --quiet --force-reinstall --no-deps 'Whoosh-Reloaded==2.7.5'; \
	fi
	touch $(STAMP)

# Byte-compiled once here: with PYTHONDONTWRITEBYTECODE set (as on these machines)
# an editable checkout would otherwise recompile every module at each launch.
run: $(STAMP)
	$(PY) -m compileall -q index tui
	$(VENV)/bin/newsdesk

# Lint first (seconds), then the suite in parallel across the machine's cores.
test: lint
	$(PY) -m pytest -n auto --dist loadfile

lint: $(STAMP)
	$(VENV)/bin/ruff check index tui tests bench
	$(VENV)/bin/ruff format --check index tui tests bench
	$(VENV)/bin/lint-imports

BENCH_STAMP := $(VENV)/.newsdesk-bench-installed
$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(PY) bench/run.py $(BENCH_ARGS)

bench-quick: $(BENCH_STAMP)
	$(PY) bench/run.py --quick $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
