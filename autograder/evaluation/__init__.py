"""The grader's own measurements of a run, in a process the student's code never ran in."""
