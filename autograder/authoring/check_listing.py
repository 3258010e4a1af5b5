"""Each check cell of the source notebook ends with the list of the grader's checks for it,
derived like the SPEC cell: formgrader and the autograded notebook then show what the kit
really runs for the cell, and students see what will be checked."""

from ..course import notebooks
from ..settings import Settings

HEADER = "# What the grader checks here (`python -m autograder derive` writes these lines):"


def listing(checks: list[tuple[str, float]]) -> str:
    return "\n".join([HEADER, *(f"#   · {name}: {points:g} point{'s' if points != 1 else ''}" for name, points in checks)])


def with_listing(source: str, checks: list[tuple[str, float]]) -> str:
    """`source` without its old listing, then the new one."""
    return source.split(HEADER)[0].rstrip() + "\n\n" + listing(checks)


def write_check_listings(settings: Settings, catalogue: dict[str, list[tuple[str, float]]]) -> None:
    """Give every graded check cell of the source notebook its listing; a cell the checks do not
    score is an error (its points could never be earned)."""
    source = notebooks.read(settings.source_notebook)
    unscored = [notebooks.grade_id(cell) for cell in source.cells
                if notebooks.is_self_check(cell) and notebooks.grade_id(cell) not in catalogue]
    if unscored:
        raise ValueError(f"no grader check scores the cells {unscored}: add checks with @pytest.mark.points")
    changed = False
    for cell in source.cells:
        if notebooks.is_self_check(cell):
            fresh = with_listing(cell.source, catalogue[notebooks.grade_id(cell)])
            changed |= fresh != cell.source
            cell.source = fresh
    if changed:
        notebooks.write(source, settings.source_notebook)
