# Quickstart: `make demo` parses the bundled sample; `make test` runs every test.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SEED   := data/seed/leshan-shizhong-shebao-2023-budget.txt

.PHONY: fuzz demo test install bench quality clean notebooks-html docs

$(BIN)/budgetkit: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $@

install: $(BIN)/budgetkit

demo: install
	$(BIN)/budgetkit parse $(SEED) --out out/seed --format xlsx
	@head -3 out/seed/amounts.csv
	@# check exits 1 when it finds errors (the sample has them): that is the demo's point, not a failure
	@$(BIN)/budgetkit check $(SEED) --format html --out out/seed/findings.html; test $$? -le 1
	@$(BIN)/budgetkit check $(SEED) > out/seed/findings.txt; test $$? -le 1
	@# the report's header and its first three findings, whole (the full text is in findings.txt)
	@awk '/^\[/{n++} n>3{exit} {print}' out/seed/findings.txt
	@echo "…… 全文 / full report: out/seed/findings.txt · out/seed/findings.html · out/seed/*.xlsx"
	@echo "下一步 / next: $(BIN)/budgetkit app   |   $(BIN)/budgetkit lab   |   $(BIN)/budgetkit check FILE --format html --out report.html"

# executed notebooks as static HTML (tables, SVG charts, each widget's first view) in notebooks/html/
notebooks-html: install
	$(BIN)/python scripts/export_notebooks.py

test: install
	$(BIN)/python -m pytest -q

# the documentation site in site/, offline: the rules reference generated from rules.csv (with one real finding
# per rule from data/), the changelog, the notebooks rendered unexecuted; --strict fails on a broken link
$(BIN)/mkdocs: pyproject.toml | $(BIN)/budgetkit
	$(BIN)/pip install -q -e ".[docs]"
	touch $@

docs: install $(BIN)/mkdocs
	$(BIN)/python docs/gen_rules.py --examples
	cp CHANGELOG.md docs/changelog.md
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet
	@echo "site/index.html"

# reading speed (not a test): budgetkit.read against a bare pdfplumber pass, file by file over ../shared/corpus (else
# data/corpus), in CPU seconds (target ≤ 0.60x); then the longest PDFs, each in a fresh process, with peak memory
bench: install
	$(BIN)/python bench/parse_speed.py

# corpus build (not a timed test): 2 workers vs sequential read+check, reopen per disclosure, peak memory, check/read
.PHONY: bench-build
bench-build: install
	$(BIN)/python bench/build_speed.py --workers 2

# reading-quality report (not a test): tables, unknown/empty tables, amounts, residue, targets,
# metadata, findings by severity and seconds for every disclosure under data/ (or DIRS=...)
quality: install
	$(BIN)/python bench/reading_quality.py $(DIRS)

# reliability: 10,000 mutated text and PDF disclosures; prints clean / clear error / unhandled / over time
fuzz: install
	$(BIN)/python -m budgetkit.fuzz -n $${FUZZ_CASES:-10000} --out out/fuzz

clean:
	rm -rf out site $(VENV)
