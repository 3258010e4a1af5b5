"""Submissions: collected in nbgrader's layout or imported from an LMS, then read and
restored against the release before anything of them runs."""
