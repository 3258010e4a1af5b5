"""The notebook's self-check tools (its `self_check_tools` cell), run cell by cell in an IPython
shell as Jupyter runs them: what the summary at the end says of each self-check."""

import pytest

from autograder.course import notebooks


@pytest.fixture
def shell(settings):
    from IPython.core.interactiveshell import InteractiveShell

    released, shell = notebooks.read(settings.release_notebook), InteractiveShell.instance()
    shell.user_ns.clear()
    for cell_id in ("spec", "self_check_tools"):
        assert shell.run_cell(notebooks.cell_by_id(released, cell_id).source).success
    return shell


def test_a_self_check_that_passes_is_summed_as_passed(shell):
    shell.run_cell('checking("check_flatten")\npassed("flatten() flattens")')
    assert shell.user_ns["CHECKED"] == {"check_flatten": True}


def test_a_self_check_that_crashed_is_not_blamed_for_a_later_cells_problem(shell):
    shell.run_cell('checking("check_normalize")\nraise KeyError("the check itself crashed")')
    shell.run_cell('needs(x_train="step 1")')  # a run cell's own problem, after the crash
    assert shell.user_ns["CHECKED"] == {"check_normalize": "it stopped before it finished"}
