"""Reports, made from stored results alone: the console summary, grades.csv, Gradescope's
results.json, and the class report."""
