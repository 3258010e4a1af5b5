"""The viva graded by question: the questions and rubric items from the source notebook, each
student's answers from submitted/, answers gathered into groups graded once, a copying signal,
and the grades written where formgrader keeps them (nbgrader's gradebook)."""
