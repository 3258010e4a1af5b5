# The two commands of README.md; each builds .venv itself on a fresh clone.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench grade derive release measure clean

demo: $(STAMP)
	$(BIN)/python -m autograder demo

# The fast tier first (no root, no training, under a minute), then the rest on both cores.
test: $(STAMP)
	$(BIN)/python -m pytest tests/fast -n 2
	$(BIN)/python -m pytest tests/full -n 2 --dist loadfile --durations=15

# The kit against plain nbgrader on one class, side by side (bench/README.md).
bench: $(STAMP)
	$(BIN)/python bench/grade_class.py

# Grade everything in submitted/ (or: .venv/bin/python -m autograder grade mnist_ann --from FOLDER_OR_ZIP).
grade: $(STAMP)
	$(BIN)/python -m autograder grade mnist_ann

# Instructor commands: after editing source/, `make release` refreshes solutions/ and release/.
derive: $(STAMP)
	$(BIN)/python -m autograder derive

release: derive
	$(BIN)/python -m autograder release

measure: $(STAMP)
	$(BIN)/python -m autograder measure --seeds 30

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) reports demo results autograded feedback gradebook.db
