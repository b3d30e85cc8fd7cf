# The two commands: `make run` (the platform with its demo, on SQLite, tasks in-process) and
# `make test` (lint and the whole test suite). Each builds its own virtual environment in
# .venv from the pinned requirements the first time, and again when they change.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format worker beat messages catalogues bench-judging bench-results bench-certificates bench-screening bench-files bench-fairness bench-vote bench-load clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Catalogues compile with Babel (pure Python), so no system gettext is needed.
catalogues: $(VENV)/.runtime
	$(VENV)/bin/pybabel compile --domain django --directory locale --statistics

# The demo's certificates carry this address in their QR codes: the one the server runs on.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.runtime catalogues
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_periodic_tasks
	$(PY) manage.py seed_demo
	@echo "Open http://$(HOST):$(PORT)/ (the public pages), /admin/ (sign in with a demo login above) or /api/docs/"
	@# The scheduler beside the server (deadlines, publications at a set time, the judges'
	@# reminders): with no broker, beat runs each task itself when it falls due.
	$(VENV)/bin/celery -A config beat --loglevel=WARNING & beat=$$!; \
	trap 'kill $$beat 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Every core, at most four (each pytest-xdist worker takes one Redis database: REDIS_URL's index
# plus its number); the seeded demo's tests stay on one worker. PYTEST_XDIST= runs one process.
PYTEST_XDIST ?= -n auto --maxprocesses 4 --dist loadgroup
test: $(VENV)/.dev catalogues lint
	$(PY) -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DATABASE_URL=sqlite://:memory: $(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# For a deployment with REDIS_URL set: the worker and the scheduler.
worker: $(VENV)/.runtime
	$(VENV)/bin/celery -A config worker -Q celery,certificates --loglevel=INFO

beat: $(VENV)/.runtime
	$(VENV)/bin/celery -A config beat --loglevel=INFO

# After changing user-facing text: extract, translate in locale/vi/LC_MESSAGES/django.po.
messages: $(VENV)/.runtime
	$(PY) manage.py makemessages --locale vi --ignore .venv --ignore var --ignore tests --no-obsolete

# Benchmarks (not tests): they need PostgreSQL and print figures with ratios against a
# baseline measured in the same run. BENCH_DATABASE_URL names the database they build and drop.
bench-judging: $(VENV)/.runtime
	$(PY) bench/judging_bench.py

bench-results: $(VENV)/.runtime
	$(PY) bench/results_bench.py

# Votes through gunicorn against a bare authenticated POST in the same run (issue 19).
bench-vote: $(VENV)/.runtime
	$(PY) bench/vote_bench.py

bench-certificates: $(VENV)/.runtime
	$(PY) bench/certificates_bench.py

# No database: 1,000,000 synthetic essays screened in memory with the service's own code.
bench-screening: $(VENV)/.runtime
	$(PY) bench/screening_bench.py

# What the judges' copy of an attachment costs an upload; no database.
bench-files: $(VENV)/.dev
	$(PY) bench/files_bench.py

# Needs no server: the real planner and closing on an in-memory SQLite database.
bench-fairness: $(VENV)/.runtime
	$(PY) bench/fairness_bench.py

# The deployed stack under load (gunicorn, PostgreSQL, Redis, a worker), over HTTP: entry POSTs
# against a bare authenticated POST, published results and leaderboards against /healthz/.
# Needs REDIS_URL (a Redis database of your own) and httpx (requirements-dev.txt).
bench-load: $(VENV)/.dev
	$(PY) bench/load_bench.py

clean:
	rm -rf $(VENV) var
