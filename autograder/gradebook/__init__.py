"""nbgrader's gradebook: its autograde step fed from the kit's stored results (preprocessor),
and the updates the kit makes through nbgrader's own API (update)."""
