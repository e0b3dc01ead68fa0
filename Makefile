# Review Copilot: the targets people and CI both call.
# `make demo` and `make test` install everything they need on a fresh machine (idempotent).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSTEM_TOOLS := espeak-ng sox ffmpeg
APT_PACKAGES := espeak-ng sox libsox-fmt-all ffmpeg
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
LLAMA_VERSION := 0.3.36
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
LLAMA_WHEELS := $(HOME)/.cache/review-copilot/wheels/llama-avx2

.PHONY: install system-deps demo test test-fast lint bench bench-strong eval clean

install: system-deps $(STAMP)

system-deps:
	@missing=""; for t in $(SYSTEM_TOOLS); do command -v $$t >/dev/null 2>&1 || missing="$$missing $$t"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages for:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES); \
	fi

$(STAMP): pyproject.toml Makefile
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), f"Python 3.11 is required, found {sys.version}"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip wheel
	# llama-cpp-python builds from source once per machine (about 5 min on 2 cores), for a portable x86-64 (AVX2)
	# target: the default build for the build machine's own CPU (-march=native) crashed on a Xeon virtual machine
	# with AVX-512 and AMX on every prompt longer than a few tokens.
	test -n "$$(ls $(LLAMA_WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl 2>/dev/null)" || \
	  CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/python -m pip wheel -q --no-cache-dir --no-deps \
	    "llama-cpp-python==$(LLAMA_VERSION)" -w $(LLAMA_WHEELS)
	$(BIN)/python -m pip install -q --no-index --find-links $(LLAMA_WHEELS) --force-reinstall --no-deps \
	  "llama-cpp-python==$(LLAMA_VERSION)"
	$(BIN)/python -m pip install -q -e ".[all]"
	# the voice encoder for one-microphone speakers: only the weights of this wheel are read (numpy, no torch)
	$(BIN)/python -m pip install -q --no-deps "resemblyzer==0.1.4"
	touch $(STAMP)

demo: install
	$(BIN)/copilot demo

test: install
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not e2e"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# strong_tier.py downloads a 1.1 GB model and runs about an hour: `make bench-strong`
bench: install
	@for b in benchmarks/*.py; do case $$b in *strong_tier.py) continue;; esac; \
	  echo "== $$b"; $(BIN)/python $$b || exit 1; done

bench-strong: install
	$(BIN)/python benchmarks/strong_tier.py --fetch --set "blind5 test" --set "blind2 test" --set "blind7 test"

eval: install
	$(BIN)/copilot eval

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
