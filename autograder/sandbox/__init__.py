"""Running a submission: confined and limited (confinement), driven from the grader's side
(runner), its exports read back as data (exports). inside/ is what runs in there."""
