"""The viva page as a client sees it (no browser): local and behind a token, every answer inert,
and a group graded on it lands in the gradebook where the kit's reports read viva grades."""

import asyncio
import os
import shutil
import threading
from html.parser import HTMLParser

import pytest
import requests
from nbgrader.api import Gradebook

from autograder.commands.viva import free_port
from autograder.course import notebooks
from autograder.course.nbgrader_commands import with_venv_on_path
from autograder.gradebook.viva import viva_grades
from autograder.settings import Settings
from autograder.viva.server import application, new_token
from autograder.viva.session import open_session

ANSWERS = {  # student -> their answer to Q1
    "ada": "Flatten turns the 28x28 image into 784 numbers; it has no weights.",
    "bo": "flatten turns the 28x28 image into 784 numbers, it has no weights",
    "cy": '<script>window.PWNED = 1</script><img src=x onerror="window.PWNED = 2"> Flatten **reshapes**.',
    "di": "\u202eevil reversed text" + "x" * 1_000_000,
}


@pytest.fixture(scope="module")
def course(tmp_path_factory, settings) -> Settings:
    """A course whose gradebook holds the four students' submissions, their answers in submitted/."""
    root = tmp_path_factory.mktemp("viva")
    shutil.copytree(settings.course_root / "source", root / "source")
    shutil.copy(settings.course_root / "nbgrader_config.py", root / "nbgrader_config.py")
    course = Settings(course_root=root)
    release = notebooks.read(settings.release_notebook)
    for student, answer in ANSWERS.items():
        nb = notebooks.read(settings.release_notebook)
        notebooks.cell_by_id(nb, "answer_q1").source = answer
        notebooks.write(nb, course.notebook_in("submitted", student))
    os.environ["PATH"] = with_venv_on_path()["PATH"]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "dlt-mnist") as gb:
        gb.add_assignment("mnist_ann")
        gb.add_notebook("mnist_ann", "mnist_ann")
        for cell in release.cells:
            grade_id = notebooks.grade_id(cell)
            if cell.cell_type == "markdown" and grade_id and grade_id.startswith("answer_q"):
                gb.add_grade_cell(grade_id, "mnist_ann", "mnist_ann", max_score=2, cell_type="markdown")
                gb.add_solution_cell(grade_id, "mnist_ann", "mnist_ann")
        for student in ANSWERS:
            gb.add_student(student)
            gb.add_submission("mnist_ann", student)
    return course


@pytest.fixture(scope="module")
def page(course):
    """The page's server on a free port, in a thread of its own: (base URL, token)."""
    token, started, loop, port = new_token(), threading.Event(), asyncio.new_event_loop(), free_port()

    def serve():
        asyncio.set_event_loop(loop)
        application(open_session(course), token, port).listen(port, address="127.0.0.1")
        started.set()
        loop.run_forever()

    threading.Thread(target=serve, daemon=True).start()
    started.wait(30)
    yield f"http://127.0.0.1:{port}", token
    loop.call_soon_threadsafe(loop.stop)


@pytest.fixture
def client(page) -> requests.Session:
    base, token = page
    session = requests.Session()
    session.get(f"{base}/?token={token}")
    return session


def test_without_the_token_the_page_and_its_changes_are_refused(page):
    base, _ = page
    assert requests.get(f"{base}/").status_code == 403
    assert requests.get(f"{base}/q/answer_q1").status_code == 403
    assert requests.post(f"{base}/api/grade-group", json={"question": "answer_q1"}).status_code == 403


def test_the_token_once_gives_a_strict_cookie_and_the_address_without_it(page):
    base, token = page
    first = requests.get(f"{base}/?token={token}", allow_redirects=False)
    assert first.status_code == 302 and first.headers["Location"] == "/"
    assert "HttpOnly" in first.headers["Set-Cookie"] and "SameSite=Strict" in first.headers["Set-Cookie"]


def test_a_request_under_another_host_name_is_refused(page, client):
    base, _ = page
    assert client.get(f"{base}/", headers={"Host": "attacker.example:80"}).status_code == 403


def test_the_index_lists_each_question_with_its_progress(page, client):
    said = client.get(f"{page[0]}/").text
    assert "Q1. What does the Flatten layer do" in said and "0 of 4" in said and "Q5." in said


def test_hostile_answers_show_as_text_and_pages_forbid_other_scripts(page, client):
    answered = client.get(f"{page[0]}/q/answer_q1")
    assert "script-src 'self'" in answered.headers["Content-Security-Policy"]
    html = answered.text
    assert "&lt;script&gt;window.PWNED = 1&lt;/script&gt;" in html
    tags = elements(html)
    assert [attrs for tag, attrs in tags if tag == "script"] == [{"src": "/static/viva.js", "defer": None}]
    assert [(tag, name) for tag, attrs in tags for name in attrs if name.startswith("on")] == []
    assert "img" not in {tag for tag, _ in tags}
    assert "⟨U+202E⟩evil reversed text" in html and "\u202e" not in html
    assert "more characters not shown" in html and len(html) < 300_000


def test_grading_a_group_on_the_page_puts_the_mark_where_the_reports_read_viva_grades(page, client, course):
    base, token = page
    html = client.get(f"{base}/q/answer_q1").text
    group = html.split('data-group="', 2)[1].split('"', 1)[0]  # the largest group: ada's and bo's answer
    refused = client.post(f"{base}/api/grade-group", json={"question": "answer_q1", "group": group,
                                                            "items": [True, True], "comment": "both"})
    assert refused.status_code == 403  # no token in the header: a page elsewhere cannot post this
    said = client.post(f"{base}/api/grade-group", headers={"X-Viva-Token": token}, json={
        "question": "answer_q1", "group": group, "items": [True, True], "comment": "both criteria",
        "seen_items": None, "seen_comment": ""}).json()
    assert sorted(said["written"]) == ["ada", "bo"] and not said["stale"]
    grades = viva_grades(course)
    assert grades["ada"][0] == {"question": "question 1", "max": 2.0, "score": 2.0, "comment": "both criteria"}
    assert grades["cy"][0]["score"] is None


def elements(html: str) -> list[tuple[str, dict]]:
    """Every element of the page, as the browser's parser would see it: its tag and attributes."""
    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collect().feed(html)
    return found


def test_a_change_to_a_question_that_does_not_exist_is_a_404_not_a_crash(page, client):
    base, token = page
    said = client.post(f"{base}/api/grade-group", headers={"X-Viva-Token": token}, json={"question": "nope"})
    assert said.status_code == 404
