# Single entry points. `make run` and `make test` are the whole quick start.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
PORT ?= 8000

.PHONY: run test lint fmt bench seed install messages

$(PY):
	$(PYTHON) -m venv $(VENV)

# pip's own progress shows what is being fetched, so a first install is never two silent minutes.
$(STAMP): pyproject.toml | $(PY)
	@echo "==> Installing Corridor and its dependencies into $(VENV) (first time: a few minutes)"
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --progress-bar on -e ".[dev]" | grep -v "^Requirement already satisfied" || true
	@$(PY) -c "import django, allauth" || (echo "Install failed: see the pip output above." >&2; exit 1)
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DJANGO_DEBUG=true $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=true $(PY) manage.py seed_demo
	DJANGO_DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

seed: $(STAMP)
	DJANGO_DEBUG=true $(PY) manage.py seed_demo

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

fmt: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m bench

# Regenerate every app's catalogue after changing user-facing strings (needs GNU gettext),
# then fill in the Chinese and run it again to compile.
messages: $(STAMP)
	for target in config events ticketing registration tourism; do $(PY) -m config.messages $$target; done
