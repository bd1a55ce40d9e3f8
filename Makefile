# Two entry points: `make run` (the chat) and `make test` (every test). Both set up .venv first.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install index eval bench clean

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "error: $(PY) not found; install Python 3.11 or run 'make PY=python3 ...'"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python app.py

test: $(STAMP)
	$(BIN)/python -m pytest -q tests

index: $(STAMP)
	$(BIN)/qa index

eval: $(STAMP)
	$(BIN)/qa eval --gold eval/gold.jsonl --out eval/out --json eval/out/results.json

clean:
	rm -rf $(VENV) .cache index/manifest.json index/*.faiss index/*.sqlite index/bm25
