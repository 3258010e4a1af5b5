"""Nothing a student writes runs in the instructor's browser. A course made by `init` grades the
corpus's browser cases (fixtures/corpus.py: markup in a viva answer, in printed lines, a plot title,
an error), each of which must cost its author what the corpus says; each submission is then opened
as the instructor opens it, in headless Chromium: formgrader's page, served by a real Jupyter server
with nbgrader's formgrader, nbgrader's feedback page and the kit's. A payload that ran would retitle
the page, set window.PWNED, or call the listener; the honest Markdown beside them must still show
its table, image and math."""

import secrets
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import requests
from browser import chromium, needs_chromium
from conftest import ON_A_SLICE, mnist_slice
from markers import needs_sandbox

from autograder.course import notebooks
from autograder.grading.result import stored_results
from fixtures.corpus import HONEST_PNG, LISTENER, costs_its_author_only, instructors_browser, submission

pytestmark = [needs_sandbox, needs_chromium]
CASES = {f"student{index}": case for index, case in enumerate(instructors_browser())}
HOSTILE = [student for student, case in CASES.items() if not case.name.startswith("honest")]
HONEST = next(student for student, case in CASES.items() if case.name.startswith("honest"))
WORDS = "Flatten only rearranges"  # the start of every case's first viva answer
# What a payload could leave behind in the rendered notebook: an event handler, a script URL, or an
# element that runs, styles or navigates. (The pages' own markup outside the cells is not the student's.)
SCAN = """
const cells = [...document.querySelectorAll('.text_cell_render, .output_area, .output_subarea')];
const inside = cells.flatMap(cell => [cell, ...cell.querySelectorAll('*')]);
return {
  title: document.title, pwned: window.PWNED || null, url: location.href, text: document.body.innerText,
  cells: cells.length,
  outputs: [...document.querySelectorAll('.output_area')].map(output => output.innerText).join('\\n'),
  active: inside.flatMap(e => [...e.attributes]
      .filter(a => /^on/i.test(a.name) || /^\\s*(javascript|vbscript|data:text)/i.test(a.value))
      .map(a => e.tagName + ' ' + a.name + '=' + a.value.slice(0, 60)))
    .concat(inside.filter(e => /^(SCRIPT|IFRAME|OBJECT|EMBED|STYLE|META|SVG|MATH|FORM|BASE|LINK)$/i.test(e.tagName))
      .map(e => e.tagName)),
};
"""


@pytest.fixture(scope="module")
def course(tmp_path_factory, mnist, reference_nb, settings) -> Path:
    """A course made by `init`, with every browser case handed in through nbgrader's submitted/ and graded."""
    root = tmp_path_factory.mktemp("browser")
    subprocess.run([sys.executable, "-m", "autograder", "init", "lab"], cwd=root, check=True, capture_output=True,
                   timeout=600)
    folder, blank = root / "lab", notebooks.read(settings.release_notebook)
    for student, case in CASES.items():
        path = folder / "submitted" / student / "mnist_ann" / "mnist_ann.ipynb"
        path.parent.mkdir(parents=True)
        submission(case, reference_nb, blank)(path)
    data = mnist_slice(mnist, root / "mnist_slice.npz", 1500)
    done = subprocess.run([sys.executable, "-c", ON_A_SLICE, "--mnist", str(data), "grade"], cwd=folder,
                          capture_output=True, text=True, timeout=2400)
    assert done.returncode == 0, done.stderr[-3000:]
    return folder


@pytest.fixture(scope="module")
def listener():
    """Every request a payload makes to the listener's address, as its path."""
    heard = []

    class Heard(BaseHTTPRequestHandler):
        def do_GET(self):
            heard.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    host, port = LISTENER.split(":")
    server = HTTPServer((host, int(port)), Heard)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield heard
    server.shutdown()


@pytest.fixture(scope="module")
def formgrader(course):
    """A Jupyter server in the course folder, with nbgrader's formgrader (as `nbgrader formgrader` starts
    it); (base URL, token)."""
    token, port = secrets.token_hex(16), free_port()
    server = subprocess.Popen([sys.executable, "-m", "jupyter", "server", "--no-browser", "--allow-root",
                               f"--port={port}", f"--IdentityProvider.token={token}", "--ServerApp.ip=127.0.0.1"],
                              cwd=course, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):  # the server's own start, polled: a slow machine waits longer, never fails
            try:
                if requests.get(f"{base}/api/status?token={token}", timeout=5).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.5)
        yield base, token
    finally:
        server.terminate()
        server.wait(timeout=60)


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def submission_id(course: Path, student: str) -> str:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "dlt-mnist") as gb:
        return gb.find_submission_notebook("mnist_ann", "mnist_ann", student).id


def visit(browser, url: str, heard: list) -> dict:
    """Open `url` as the instructor would and report what the page became a moment later."""
    heard.clear()
    browser.get(url)
    time.sleep(1.5)  # time for an onerror, an onload or a refresh to fire: a slower one is missed, never failed
    seen = browser.execute_script(SCAN)
    return {**seen, "heard": list(heard)}


def pages(course: Path, formgrader, student: str) -> dict[str, str]:
    base, token = formgrader
    feedback = course / "feedback" / student / "mnist_ann"
    return {"formgrader": f"{base}/formgrader/submissions/{submission_id(course, student)}/?token={token}",
            "nbgrader's feedback": (feedback / "mnist_ann.html").as_uri(),
            "the kit's feedback": (feedback / "results.html").as_uri()}


def assert_nothing_ran(seen: dict, url: str, page: str) -> None:
    assert seen["pwned"] is None and seen["title"] != "PWNED", f"a payload ran in {page}: {seen['pwned']}"
    assert seen["heard"] == [], f"{page} called the listener: {seen['heard']}"
    assert seen["url"].split("?")[0] == url.split("?")[0], f"{page} was sent elsewhere: {seen['url']}"


def assert_notebook_page_inert(page: str, student: str, course, formgrader, browser, listener) -> None:
    """The page that shows the autograded notebook: nothing ran, nothing active in its cells, the words shown."""
    url = pages(course, formgrader, student)[page]
    seen = visit(browser, url, listener)
    assert_nothing_ran(seen, url, page)
    assert seen["cells"] > 20 and seen["active"] == [], seen["active"]
    assert WORDS in seen["text"], "the student's answer no longer shows"


@pytest.mark.parametrize("student", CASES, ids=lambda student: CASES[student].id)
def test_case(student, course):
    """Graded by `grade`, each case costs its author what the corpus says (markup takes no point)."""
    results = {result.student: result for result in stored_results(course / "results" / "mnist_ann")[0]}
    costs_its_author_only(CASES[student], results[student])


@pytest.mark.parametrize("student", HOSTILE, ids=lambda student: CASES[student].name)
def test_nothing_a_student_wrote_runs_in_formgrader(student, course, formgrader, browser, listener):
    assert_notebook_page_inert("formgrader", student, course, formgrader, browser, listener)


@pytest.mark.parametrize("student", HOSTILE, ids=lambda student: CASES[student].name)
def test_nothing_a_student_wrote_runs_in_nbgraders_feedback(student, course, formgrader, browser, listener):
    assert_notebook_page_inert("nbgrader's feedback", student, course, formgrader, browser, listener)


@pytest.mark.parametrize("student", HOSTILE, ids=lambda student: CASES[student].name)
def test_nothing_a_student_wrote_runs_in_the_kits_feedback_page(student, course, formgrader, browser, listener):
    url = pages(course, formgrader, student)["the kit's feedback"]
    assert_nothing_ran(visit(browser, url, listener), url, "the kit's feedback page")


def test_the_outputs_case_shows_its_markup_as_text(course, formgrader, browser, listener):
    student = next(student for student, case in CASES.items() if case.name.startswith("markup in a printed"))
    for page, url in pages(course, formgrader, student).items():
        if page != "the kit's feedback":
            shown = visit(browser, url, listener)["outputs"]
            assert "<script>document.title='PWNED';window.PWNED='printed'" in shown, page
            assert "ValueError: <svg onload=" in shown, page


def test_honest_markdown_still_renders_its_table_image_and_math(course, formgrader, browser, listener):
    for page, url in pages(course, formgrader, HONEST).items():
        if page == "the kit's feedback":
            continue
        visit(browser, url, listener)
        answer = browser.execute_script(
            "const cell = [...document.querySelectorAll('.text_cell_render')]"
            "  .find(c => c.innerText.includes(arguments[0]));"
            "const image = cell && [...cell.querySelectorAll('img')].find(i => i.src.includes(arguments[1]));"
            "return cell && {tables: cell.querySelectorAll('table').length, text: cell.innerText,"
            "  image: image ? image.naturalWidth : null,"
            "  math: cell.querySelectorAll('.MathJax, mjx-container').length};",
            WORDS, HONEST_PNG[:40])
        assert answer is not None, f"{page}: the answer is gone"
        assert answer["tables"] == 1 and answer["image"] == 8, (page, answer)
        # MathJax comes from a CDN, out of reach here: the LaTeX is then shown as written, ready for it.
        assert answer["math"] > 0 or "\\sum_k y_k \\log p_k" in answer["text"], (page, answer["text"][:500])
