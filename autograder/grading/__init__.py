"""Grading: one submission through intake, sandboxed run, evaluation and checks into a
result record; a class of them in parallel, each failure kept to its student."""
