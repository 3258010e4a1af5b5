"""Generated files are regenerated and compared, so they never drift from source/."""

import filecmp
import json
import shutil

import pytest

from autograder.course import notebooks
from autograder.authoring.expectations import EXPECTATIONS_FILE, SPEC_CELL, derive, spec_cell_source
from autograder.authoring.reference import write_module, write_notebook
from autograder.authoring.release import release


def test_solutions_are_generated_from_the_source_notebook(settings, tmp_path):
    for path in (write_module(settings, into=tmp_path), write_notebook(settings, into=tmp_path)):
        committed = settings.solutions_dir / path.name
        assert committed.read_text() == path.read_text(), f"{committed} is stale: run `make derive`"


@pytest.fixture(scope="module")
def derived(settings):
    return derive(settings)


def test_expectations_are_derived_from_the_reference(settings, derived):
    committed = json.loads((settings.solutions_dir / EXPECTATIONS_FILE).read_text())
    assert committed == derived, "solutions/.../expectations.json is stale: run `make derive`"


def test_spec_cell_carries_the_derived_expectations(settings, derived):
    cell = notebooks.cell_by_id(notebooks.read(settings.source_notebook), SPEC_CELL)
    assert cell.source == spec_cell_source(derived), "the SPEC cell is stale: run `make derive`"


def test_release_is_what_nbgrader_generates_from_source(settings, tmp_path):
    shutil.copytree(settings.course_root / "source", tmp_path / "source")
    shutil.copy(settings.course_root / "nbgrader_config.py", tmp_path)
    fresh = release(settings, course_root=tmp_path)
    committed = settings.course_root / "release" / settings.assignment
    comparison = filecmp.dircmp(fresh, committed)
    assert (comparison.left_only, comparison.right_only) == ([], [])
    for name in comparison.common_files:
        assert (fresh / name).read_text() == (committed / name).read_text(), f"release/{name} is stale: run `make release`"


def test_sample_class_is_generated_from_the_reference_and_fixtures(tmp_path):
    from fixtures.sample_class import FOLDER, write

    for path in write(tmp_path):
        assert (FOLDER / path.name).read_text() == path.read_text(), "run `python tests/fixtures/sample_class.py`"
    assert sorted(p.name for p in FOLDER.iterdir()) == sorted(p.name for p in tmp_path.iterdir())


def test_check_cells_list_the_checks_the_grader_runs_for_them(settings):
    from autograder.authoring.check_listing import with_listing
    from autograder.checks.catalogue import checks_by_cell

    catalogue = checks_by_cell()
    for cell in notebooks.read(settings.source_notebook).cells:
        if notebooks.is_self_check(cell):
            checks = catalogue[notebooks.grade_id(cell)]
            assert cell.source == with_listing(cell.source, checks), "a check cell's listing is stale: run `make derive`"
            assert sum(points for _, points in checks) == cell.metadata.nbgrader["points"]
        assert "### BEGIN HIDDEN TESTS" not in cell.source, "the grader never runs hidden tests in the notebook"
