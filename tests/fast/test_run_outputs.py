"""The student's own run in the autograded notebook: each run cell's text and figures, as bounded,
checked data (never the student's HTML), and where a limit stopped the run."""

import base64
import io
import json

from nbformat.v4 import new_code_cell, new_notebook

from autograder.gradebook.run_outputs import show_run_outputs
from autograder.grading.result import Result
from autograder.sandbox.exports import read_outputs
from autograder.sandbox.inside.cell_outputs import TEXT_CHARS, Tail
from autograder.sandbox.inside.record_format import SCHEMA_VERSION

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 20).decode()


def test_a_progress_bar_leaves_one_line_an_epoch():
    tail = Tail(io.StringIO())
    for epoch in range(3):
        for step in range(1, 501):
            tail.write("\b" * 30 + "\r" + f"{step}/500 ━━━ loss {epoch}")
        tail.write("\n")
    assert tail.text == "500/500 ━━━ loss 0\n500/500 ━━━ loss 1\n500/500 ━━━ loss 2"


def test_endless_printing_keeps_only_a_bounded_tail():
    tail = Tail(io.StringIO())
    for line in range(100_000):
        tail.write(f"line {line}\n")
    assert len(tail.text) <= TEXT_CHARS and tail.text.endswith("line 99999")


def written(tmp_path, *cells) -> list:
    (tmp_path / "outputs.json").write_text(json.dumps({"schema_version": SCHEMA_VERSION, "cells": list(cells)}))
    return read_outputs(tmp_path)


def test_only_png_images_are_let_through(tmp_path):
    svg = base64.b64encode(b"<svg onload=alert(1)>").decode()
    (cell,) = written(tmp_path, {"id": None, "stdout": "hi", "images": [PNG, svg, "not base64!", 42]})
    assert cell.images == [PNG] and cell.stdout == "hi"


def test_outputs_of_the_wrong_kind_are_dropped_not_fatal(tmp_path):
    assert written(tmp_path, "a string", {"stdout": ["not", "text"]})[0].stdout == ""
    (tmp_path / "outputs.json").write_text("{ torn")
    assert read_outputs(tmp_path) == []


def notebook_and_run(tmp_path, shown: list[dict]):
    nb = new_notebook(cells=[new_code_cell("print('hi')", metadata={"nbgrader": {"grade_id": "setup"}}),
                             new_code_cell("plot()"), new_code_cell("train()")])
    (tmp_path / "outputs.json").write_text(json.dumps({"schema_version": SCHEMA_VERSION, "cells": shown}))
    (tmp_path / "record.json").write_text(json.dumps({
        "schema_version": SCHEMA_VERSION,
        "cells": [{"id": cell["id"], "seconds": 1, "error": cell.pop("error", None)} for cell in shown]}))
    return nb


def result(**fields) -> Result:
    return Result(student="s", assignment="a", kit_version="v", content_hash="h", **fields)


def test_run_cells_get_their_text_figures_and_errors(tmp_path):
    nb = notebook_and_run(tmp_path, [{"id": "setup", "stdout": "hi"},
                                     {"id": None, "images": [PNG], "error": "NameError: name 'plot' is not defined"}])
    show_run_outputs(nb, tmp_path, result())
    assert nb.cells[0].outputs[0].text == "hi\n"
    assert nb.cells[1].outputs[0].data["image/png"] == PNG
    assert nb.cells[1].outputs[1].ename == "NameError"


def test_the_cell_a_limit_stopped_says_so(tmp_path):
    nb = notebook_and_run(tmp_path, [{"id": "setup", "stdout": "hi"}, {"id": None}])
    show_run_outputs(nb, tmp_path, result(limits_hit=["wall clock (900 s)"]))
    (stopped,) = nb.cells[2].outputs
    assert stopped.ename == "Stopped" and "wall clock (900 s)" in stopped.evalue


def test_outputs_that_do_not_match_the_cells_are_not_shown(tmp_path):
    nb = notebook_and_run(tmp_path, [{"id": "another_notebooks_cell", "stdout": "hi"}])
    show_run_outputs(nb, tmp_path, result())
    assert all(not cell.get("outputs") for cell in nb.cells)


def test_the_cell_a_run_stopped_in_is_named_as_a_student_finds_it():
    from autograder.grading.submission import cell_running

    nb = new_notebook(cells=[new_code_cell("x = 1"),
                             new_code_cell("# train it\nhistory = train_model(model)",
                                           metadata={"nbgrader": {"grade_id": "run_train_model"}})])
    assert cell_running(nb, 1) == "code cell 2 (run_train_model), which starts `history = train_model(model)`,"
    assert cell_running(nb, 2) is None
