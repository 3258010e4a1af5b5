"""The course directory: its notebooks' nbgrader cells, its files, nbgrader's own commands."""
