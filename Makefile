# The DDI playbook. Two commands do all the set-up on a fresh machine:
#   make book   -> .venv, pinned requirements, the package (editable), Debian chromium (for the PDF), the site in _build/html
#   make test   -> the same .venv plus dev requirements, then the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
NODE_STAMP := node_modules/.installed
# Debian packages the tests need: Chromium for the browser tests, PostgreSQL (+ PostGIS) for the
# publishing tests. Installed with apt-get when missing (as root, or through sudo).
APT_PACKAGES := chromium chromium-driver postgresql postgresql-15-postgis-3
# What `make book` needs of them: Chromium prints the guide's PDF (playbook/book/pdf.py).
BOOK_APT_PACKAGES := chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
PYTEST_ARGS ?=
# `make book LANG=fr` builds one edition; the shell's own LANG (a locale such as C.UTF-8) is ignored.
BOOK_LANG := $(if $(filter command line,$(origin LANG)),$(LANG),all)

.PHONY: book test lab clean lint help system-deps book-system-deps

help:
	@echo "make book   build the site, English and French, into _build/html (creates .venv, installs pinned requirements)"
	@echo "            make book LANG=fr (or en) builds one edition"
	@echo "            make book JURISDICTION=mb builds Manitoba's edition into _build/mb/html (profiles: jurisdictions/)"
	@echo "            make book MANIFEST=my-analysis.yml builds the book from your own files (an analysis manifest)"
	@echo "make test   run the test suite (unit, notebooks, whole-book build)"
	@echo "make lab    open JupyterLab on notebooks/ (installs jupyterlab on first use)"
	@echo "make lint   ruff on the package, tests and benchmarks"
	@echo "make clean  remove build outputs and caches"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements.txt pyproject.toml | $(PY)
	$(PIP) install -r requirements.txt
	$(PIP) install --no-deps -e .
	touch $@

$(DEV_STAMP): requirements-dev.txt $(RUNTIME_STAMP)
	$(PIP) install -r requirements-dev.txt
	touch $@

# The site's JavaScript (Vega, MathJax) and the tests' axe-core, pinned in package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Install the Debian packages of $(1) that are missing.
define apt_install
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
endef

system-deps:
	$(call apt_install,$(APT_PACKAGES))

book-system-deps:
	$(call apt_install,$(BOOK_APT_PACKAGES))

book: $(RUNTIME_STAMP) $(NODE_STAMP) book-system-deps
	$(PY) -m playbook build --lang $(BOOK_LANG) $(if $(JURISDICTION),--jurisdiction $(JURISDICTION)) $(if $(MANIFEST),--manifest $(MANIFEST))

test: $(DEV_STAMP) $(NODE_STAMP) system-deps
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(PY) -m ruff check playbook tests bench

lab: $(RUNTIME_STAMP)
	$(PIP) install jupyterlab==4.6.6
	$(VENV)/bin/jupyter lab notebooks/

clean:
	rm -rf _build .pytest_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
