PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@for f in seeds/*.txt; do \
		case $$f in *.expected.txt) continue;; esac; \
		echo "== clean text: $$f"; \
		$(BIN)/cleaner clean $$f; \
		echo "== what was removed: $$f"; \
		$(BIN)/cleaner explain --removed-only $$f; \
	done

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/quality.py

clean:
	rm -rf $(VENV) build *.egg-info
