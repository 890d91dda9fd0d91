# Portail Famille: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-test run test lint format messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,s3]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Where `make run` says e-mails go (the settings decide: SMTP, files or the console).
MAIL_WHERE := from django.conf import settings as s; print("E-mails: " + ("sent to the SMTP server " + s.EMAIL_HOST if s.EMAIL_HOST else "written as files to " + str(s.EMAIL_FILE_PATH) if s.EMAIL_FILE_PATH else "printed on this console"))

# PORTAIL_BASE_URL is not set here: in development the portal builds PayFiP's return
# addresses and e-mailed links from the address each request came on, so any HOST/PORT
# (and localhost or 127.0.0.1) works.
run: install
	mkdir -p var
	$(BIN)/portail migrate --noinput
	$(BIN)/portail load_demo --if-empty
	@$(BIN)/portail shell -v 0 -c '$(MAIL_WHERE)'
	@echo "Portal: http://$(HOST):$(PORT)/  PayFiP simulator settings (staff login): http://$(HOST):$(PORT)/payfip-simulateur/"
	$(BIN)/portail runserver $(HOST):$(PORT)

test: install-test
	mkdir -p var
	@if command -v msgfmt >/dev/null; then cd portail && ../$(BIN)/portail compilemessages -v0; \
	else echo "msgfmt (gettext) not found: using the committed .mo catalogues"; fi
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v faketime >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium faketime; \
	  else echo "!! chromium or faketime not found and not root: the browser tests will be SKIPPED (apt-get install chromium faketime)"; fi; \
	fi
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/portail makemigrations --check --dry-run

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install-test
	cd portail && ../$(BIN)/portail makemessages -l fr -l en --no-obsolete
	cd portail && ../$(BIN)/portail compilemessages -v0

bench: install-test
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var/test-*.sqlite3*
