PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install bytecode browser demo lint typecheck test bench model clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,bench,dask]'
	touch $(STAMP)

# An editable install leaves the package uncompiled, and where PYTHONDONTWRITEBYTECODE is set
# (many container images) every run would compile it again: about 40 ms of each start.
# compileall only redoes files that changed.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q cleaner

install: $(STAMP) bytecode

demo: $(STAMP)
	@for f in seeds/*.txt; do \
		case $$f in *.expected.txt) continue;; esac; \
		echo "== clean text: $$f"; \
		$(BIN)/cleaner clean $$f; \
		echo "== what was removed: $$f"; \
		$(BIN)/cleaner explain --removed-only $$f; \
	done

# The review report's browser test drives Debian's chromium; it skips (saying why) without it.
browser:
	@command -v chromium >/dev/null 2>&1 || \
	  { command -v apt-get >/dev/null 2>&1 && (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null 2>&1; } || \
	  echo "chromium not installed: the browser test will be skipped"

lint: $(STAMP)
	$(BIN)/ruff check cleaner tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

test: install browser lint typecheck
	$(BIN)/python -m pytest -q -rs

bench: $(STAMP)
	$(BIN)/python bench/quality.py

# Rebuild cleaner/model/line_model.npz (text in), block_model.npz and block_model_fast.npz (HTML
# in, with and without trafilatura's extraction) from ../shared/data and print their validation
# figures. The block models read the line model's features: rebuild all when those change.
model: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[train]'
	$(BIN)/python bench/train_model.py
	$(BIN)/python bench/train_blocks.py
	$(BIN)/python bench/train_fast_blocks.py

clean:
	rm -rf $(VENV) build *.egg-info
