# Backpropagation from Scratch: every entry point sets up .venv on its own.
# Needs Python >= 3.11 (override with `make PYTHON=python3.12 ...`).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard chapters/*.ipynb) $(wildcard chapters/solutions/*.ipynb))

export PYTHONHASHSEED := 0
unexport MPLBACKEND

.PHONY: help setup book test lint unit nbval nbval-pair nbval-portable build-strict execute lab workspace progress grade bench mutation clean

help:
	@echo "make book     build the HTML book and print the page to open"
	@echo "make test     ruff + pytest + nbval (strict; natively and under other kernels) + strict book build"
	@echo "make nbval-portable  nbval under four other floating-point environments"
	@echo "make execute  regenerate every notebook's outputs deterministically"
	@echo "make lab      open JupyterLab on your workspace (on the chapters if there is none)"
	@echo "make workspace  copy the chapters into workspace/, where you solve the exercises"
	@echo "make progress   run your workspace notebooks and say which exercises are solved"
	@echo "make grade SUBMISSIONS=folder [OUT=grades.csv] [JOBS=1]  grade a class's notebooks into a CSV"
	@echo "make bench    time nnlib against scikit-learn's MLPClassifier"

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is required, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (course)" > /dev/null
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --quiet
	@echo
	@echo "The book is at: $(CURDIR)/_build/html/index.html"

lint: $(STAMP)
	$(BIN)/ruff check nnlib tests scripts benchmarks chapters conftest.py
	$(BIN)/actionlint .github/workflows/*.yml

unit: $(STAMP)
	$(BIN)/python -m pytest tests -q

nbval: $(STAMP)
	$(BIN)/python -m pytest --nbval --nbval-current-env -p no:randomly -q chapters

# nbval natively and, side by side, under other GEMM kernels, one BLAS thread and NumPy's
# baseline loops at once (scripts/portable.py): what another processor would compute.
nbval-pair: $(STAMP)
	$(BIN)/python scripts/portable.py nbval native mixed

# nbval under each numeric environment alone, after showing which bits each one changes.
nbval-portable: $(STAMP)
	$(BIN)/python scripts/portable.py demo
	$(BIN)/python scripts/portable.py nbval haswell sandybridge one-thread baseline

build-strict: $(STAMP)
	rm -rf _build/html _build/.doctrees
	$(BIN)/jupyter-book build . -W -n --keep-going --quiet
	$(BIN)/python scripts/check_offline.py _build/html

# The two nbval passes and the book build run side by side (each is mostly one core).
test: lint unit
	$(MAKE) --no-print-directory -j3 --output-sync=target nbval-pair build-strict
	@echo "make test: all checks passed"

execute: $(STAMP)
	$(BIN)/python scripts/execute.py $(NOTEBOOKS)

# JupyterLab refuses to start as root without --allow-root.
lab: $(STAMP)
	$(BIN)/jupyter lab $(if $(wildcard workspace/*.ipynb),workspace,chapters) $(if $(filter 0,$(shell id -u)),--allow-root)

# The student's copy of the chapters (git-ignored); never overwrites an existing copy.
workspace: $(STAMP)
	$(BIN)/python scripts/workspace.py --dest workspace

progress: $(STAMP)
	$(BIN)/python scripts/progress.py --workspace workspace

# An instructor's grading: SUBMISSIONS holds one folder per student (or files lying flat).
OUT  ?= grades.csv
JOBS ?= 1
grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder [OUT=grades.csv] [JOBS=1]"; exit 2; }
	$(BIN)/python scripts/grade.py "$(SUBMISSIONS)" --out "$(OUT)" --jobs $(JOBS)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

# Optional and slow (tens of minutes on 2 cores): mutation testing of nnlib's core
# modules against the unit tests, in a venv of its own (no editable install, so the
# tests import the mutated copy), two workers with one BLAS thread each.
# The summary fails when a survivor is not judged in mutation_survivors.toml (MUTATION.md).
MVENV := .venv-mutation
mutation:
	test -x $(MVENV)/bin/python || $(PYTHON) -m venv $(MVENV)
	$(MVENV)/bin/python -m pip install --quiet -r requirements.txt -r requirements-mutation.txt
	rm -rf mutants
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(MVENV)/bin/mutmut run --max-children 2 || true
	@# mutmut 3.8.1 sometimes forks a test process that waits forever on a lock, and calls
	@# its mutant a timeout (79 in one full run, none real): re-run the timeouts once
	T=$$($(MVENV)/bin/mutmut results 2>/dev/null | sed -n 's/^ *\(.*\): timeout$$/\1/p'); \
	test -z "$$T" || OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(MVENV)/bin/mutmut run --max-children 2 $$T || true
	$(MVENV)/bin/mutmut results --all true > mutants/results.txt || true
	$(MVENV)/bin/python scripts/mutation_summary.py mutants/results.txt mutation_survivors.toml

clean:
	rm -rf _build .pytest_cache .ruff_cache mutants
