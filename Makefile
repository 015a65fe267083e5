# 政务公开门户 – developer entry points. `make run` and `make test` are all a new
# user needs (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The address in e-mails and in the demo's sign-in message.
PORTAL_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test test-dates test-postgres lint format setup migrate demo bench clean messages

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)." % sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

migrate: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput

demo: migrate
	DEBUG=1 PORTAL_BASE_URL=$(PORTAL_BASE_URL) $(BIN)/python manage.py seed_demo

run: demo
	DEBUG=1 PORTAL_BASE_URL=$(PORTAL_BASE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The whole suite on the embedded SQLite database. Browser tests run when
# Chromium is installed (Debian: apt-get install chromium) and skip otherwise,
# except under CI=true, where a missing browser fails them.
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider $(PYTEST_ARGS)

# The suite (browser tests left out) on other days than today, under Debian's
# faketime: a year end late in the evening, the first working day of a year
# whose holiday calendar is not entered, the day after a long holiday. Every
# test must pass whatever the date (tests/conftest.py: clock).
FAKE_DATES ?= 2026-12-31 23:30:00|2027-01-04 09:00:00|2026-10-08 09:00:00
test-dates: $(STAMP)
	@command -v faketime >/dev/null || { echo "needs faketime: apt-get install faketime"; exit 1; }
	@dates='$(FAKE_DATES)'; IFS='|'; for moment in $$dates; do \
		echo "--- the suite on $$moment (Asia/Shanghai)"; \
		TZ=Asia/Shanghai faketime "$$moment" $(BIN)/python -m pytest -n 2 -p no:cacheprovider \
			-m "not browser" -q $(PYTEST_ARGS) || exit 1; \
	done

# The same suite on PostgreSQL; DATABASE_URL names a database the tests may
# create test_<name> next to.
test-postgres: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portal} \
		$(BIN)/python -m pytest -n 2 -p no:cacheprovider --create-db $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(STAMP)
	cd . && DEBUG=1 $(BIN)/python manage.py makemessages -l en --no-obsolete --no-location -i '.venv/*' -i 'var/*'
	DEBUG=1 $(BIN)/python manage.py compilemessages -l en -i '.venv'

# The benchmark (bench/README.md): DATABASE_URL (default: the portal_bench
# database, filled by `manage.py generate_items 1000000`), BENCH_ARGS for its
# options, e.g. BENCH_ARGS="--duration 5 --redis-url redis://127.0.0.1:6379/1".
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var build *.egg-info
