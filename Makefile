# Clusterboard: `make run` starts the product with demo data, `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: run test lint install install-dev browser lock messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The locks pin every package, transitive ones included, with hashes: pip refuses anything else.
$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Debian's Chromium for the browser tests (apt-get, as root); says in one line when it cannot.
browser:
	@sh tests/e2e/install_chromium.sh

run:
	@echo "Clusterboard: installing its packages (first run only), migrating the database and loading the demo data; about 3 minutes the first time, under a minute after; then it serves http://127.0.0.1:$(PORT)/"
	@$(MAKE) --no-print-directory install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo
	@echo "Clusterboard is starting on http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	@$(BIN)/python manage.py demo_logins
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

test: install-dev browser
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest $(PYTEST_ARGS)

# Regenerates the locks from requirements.in and requirements-dev.in, keeping the versions they
# hold unless asked (`make lock LOCK_ARGS=--upgrade`, or `--upgrade-package NAME`). Resolved
# against PyPI alone, this machine's pip configuration (local mirrors, wheel folders) set
# aside, so that the locks install wherever PyPI is reachable, the Docker image included.
# pip-tools lives in a virtualenv of its own (inside .venv, so every tool already skips it).
LOCK_VENV ?= $(VENV)/lock-tools
PIP_TOOLS_VERSION ?= 7.6.2
PIP_COMPILE = env -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_FIND_LINKS \
	PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock" \
	$(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

$(LOCK_VENV)/bin/pip-compile:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet pip-tools==$(PIP_TOOLS_VERSION)

lock: $(LOCK_VENV)/bin/pip-compile
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in

messages: install-dev
	$(BIN)/python manage.py makemessages -l es -l pt --ignore=$(VENV) --ignore=staticfiles
	$(BIN)/python manage.py compilemessages --ignore=$(VENV)

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles
