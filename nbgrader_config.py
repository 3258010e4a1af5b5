"""nbgrader settings for this course directory (nbgrader reads this file from here)."""

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "dlt-mnist"
# What students see where a solution was removed.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Autograde runs each submission in the kit's sandbox and scores it with the kit's
# checks (see autograder/gradebook/preprocessor.py) instead of executing it here; the same
# step makes the student's Markdown inert, so formgrader and feedback pages run none of it.
c.Autograde.autograde_preprocessors = [
    "autograder.gradebook.preprocessor.GradeInSandbox",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Before nbgrader's own sanitizing, nbgrader metadata copied in from other notebooks is dropped
# (nbgrader would refuse the whole submission for it).
c.Autograde.sanitize_preprocessors = [
    "autograder.gradebook.preprocessor.StripForeignMetadata",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Defence in depth: nbconvert cleans outputs and raw cells as it renders them for formgrader and
# generate_feedback (their templates render Markdown cells uncleaned: intake sees to those).
c.HTMLExporter.sanitize_html = True

# Feedback shows each check's verdict, never the hidden tests' code.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# The kit's own settings (autograder/settings.py) can be set here too, e.g.
# c.Autograder.limits = {"wall_seconds": 600, "memory_bytes": 4 * 2**30}
