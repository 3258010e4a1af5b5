"""The grader's checks: pytest tests over a run's stored records, never over live objects.

Each test carries `@pytest.mark.points(cell, n)`: the nbgrader grade cell it scores
and its share of that cell's points. A failing test's assertion message is what
the student reads, so it says what to fix and never shows test code.
"""
