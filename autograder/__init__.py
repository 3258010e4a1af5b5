"""Grading kit for the MNIST dense-network practical (nbgrader course directory)."""

__version__ = "0.1.0"
