"""Nothing a student writes runs in the instructor's browser. A course made by `init` grades the
corpus's browser cases (fixtures/corpus.py: markup in a viva answer, in printed lines, a plot title,
an error), each of which must cost its author what the corpus says; each submission is then opened
as the instructor opens it, in headless Chromium: formgrader's page, served by a real Jupyter server
with nbgrader's formgrader, nbgrader's feedback page and the kit's. A payload that ran would retitle
the page, set window.PWNED, or call the listener; the honest Markdown beside them must still show
its table, image and math."""

import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import requests
from browser import chromium, jupyter, needs_chromium
from conftest import ON_A_SLICE, mnist_slice
from markers import needs_sandbox

from autograder.course import notebooks
from autograder.gradebook.update import ENTERED
from autograder.grading.result import stored_results
from autograder.settings import Settings
from fixtures import viva_grading
from fixtures.corpus import HONEST_PNG, LISTENER, costs_its_author_only, instructors_browser, submission

pytestmark = [needs_sandbox, needs_chromium]
CASES = {f"student{index}": case for index, case in enumerate(instructors_browser())}
HOSTILE = [student for student, case in CASES.items() if not case.name.startswith("honest")]
HONEST = next(student for student, case in CASES.items() if case.name.startswith("honest"))
WORDS = "Flatten only rearranges"  # the start of every case's first viva answer
# What a payload could leave behind in the rendered notebook (in the cells `arguments[0]` selects): an event
# handler, a script URL, or an element that runs, styles or navigates. (The pages' own markup outside the
# cells is not the student's.)
NOTEBOOK_CELLS = ".text_cell_render, .output_area, .output_subarea"
SCAN = """
const cells = [...document.querySelectorAll(arguments[0])];
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
    with jupyter("server", course) as served:
        yield served


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def submission_id(course: Path, student: str) -> str:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "dlt-mnist") as gb:
        return gb.find_submission_notebook("mnist_ann", "mnist_ann", student).id


def visit(browser, url: str, heard: list) -> dict:
    """Open `url` as the instructor would and report what the page became a moment later."""
    heard.clear()
    browser.get(url)
    time.sleep(1.5)  # time for an onerror, an onload or a refresh to fire: a slower one is missed, never failed
    seen = browser.execute_script(SCAN, NOTEBOOK_CELLS)
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


# The viva page (`python -m autograder viva`) shows every student's answer to the instructor too, and
# writes grades; it is graded through here as an instructor would, then read back everywhere.
GROUP_COMMENT = "Right: the 784 values, and no weights to learn."
OVERRIDE = (2.0, "Read again: both criteria are there.")


@pytest.fixture(scope="module")
def viva_page(course):
    """`python -m autograder viva` on the course, as the instructor starts it: (base URL, token)."""
    with viva_grading.viva_page(Settings(course_root=course)) as page:
        yield page.base, page.token


def after_reload(browser, act) -> str:
    """Do `act` on the viva page, wait for the reload that shows its outcome, and return what the page said."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_script("document.documentElement.dataset.before = 'yes'")
    act()
    WebDriverWait(browser, 120).until(lambda b: b.execute_script(
        "const said = document.getElementById('said');"
        "return !document.documentElement.dataset.before && document.readyState === 'complete' && said && !said.hidden"))
    return browser.find_element("id", "said").text


def members(browser) -> dict[str, list[str]]:
    return browser.execute_script(
        "return Object.fromEntries([...document.querySelectorAll('section.group')].map(section =>"
        "  [section.dataset.group, [...section.querySelectorAll('article.member')].map(a => a.dataset.student)]))")


@pytest.fixture(scope="module")
def viva_graded(course, viva_page, browser) -> dict[str, tuple[float, str | None]]:
    """Question 1 graded on the page: the first group with both rubric items and a comment by mouse, every
    other group with the first item by keyboard (1, Enter), then one student overridden on their own.
    Returns each student's expected (score, comment); `report` has then redrawn every feedback page."""
    from selenium.webdriver.common.action_chains import ActionChains

    base, token = viva_page
    browser.get(f"{base}/?token={token}")
    browser.get(f"{base}/q/answer_q1")
    groups, expected = members(browser), {}
    first, *others = groups
    section = browser.find_element("id", first)
    for box in section.find_elements("css selector", 'input[name="item"]'):
        box.click()
    section.find_element("name", "comment").send_keys(GROUP_COMMENT)
    said = after_reload(browser, section.find_element("css selector", "form.rubric button").click)
    assert said.startswith(f"Graded {len(groups[first])} answer"), said
    expected |= {student: (2.0, GROUP_COMMENT) for student in groups[first]}
    for key in others:
        said = after_reload(browser, lambda: ActionChains(browser).send_keys("1").send_keys("\ue007").perform())
        assert said.startswith(f"Graded {len(groups[key])} answer"), said
        expected |= {student: (1.0, None) for student in groups[key]}
    student = groups[(others or [first])[-1]][0]
    article = browser.find_element("css selector", f'article.member[data-student="{student}"]')
    browser.execute_script("arguments[0].closest('details').open = true", article)
    article.find_element("name", "score").send_keys(str(OVERRIDE[0]))
    article.find_element("name", "comment").send_keys(OVERRIDE[1])
    assert after_reload(browser, article.find_element("css selector", "form.own-grade button").click) == \
        f"{student} graded on their own."
    expected[student] = OVERRIDE
    done = subprocess.run([sys.executable, "-m", "autograder", "report"], cwd=course, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return expected


def formgrader_marks(course: Path, formgrader) -> dict[str, tuple[float | None, str | None]]:
    """Each student's question 1 as formgrader's own API serves it: (manual score, manual comment)."""
    base, token = formgrader
    marks, auth = {}, {"Authorization": f"token {token}"}
    for student in CASES:
        query = {"submission_id": submission_id(course, student)}
        grades = requests.get(f"{base}/formgrader/api/grades", params=query, headers=auth, timeout=60).json()
        comments = requests.get(f"{base}/formgrader/api/comments", params=query, headers=auth, timeout=60).json()
        score = next(grade["manual_score"] for grade in grades if grade["name"] == "answer_q1")
        comment = next(comment["manual_comment"] for comment in comments if comment["name"] == "answer_q1")
        marks[student] = (score, comment)
    return marks


def test_the_viva_page_shows_nothing_to_a_browser_without_its_token(viva_page, browser):
    base, _ = viva_page
    browser.delete_all_cookies()
    browser.get(f"{base}/q/answer_q1")
    text = browser.execute_script("return document.body.innerText")
    assert "403" in text and WORDS not in text


def test_nothing_a_student_wrote_runs_in_the_viva_page(viva_page, browser, listener):
    base, token = viva_page
    browser.get(f"{base}/?token={token}")
    url = f"{base}/q/answer_q1"
    listener.clear()
    browser.get(url)
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    time.sleep(1.5)  # time for an onerror, an onload or a refresh to fire: a slower one is missed, never failed
    seen = {**browser.execute_script(SCAN, ".answer"), "heard": list(listener)}
    assert_nothing_ran(seen, url, "the viva page")
    assert seen["active"] == [], seen["active"]
    assert seen["cells"] > len(CASES)  # every member's answer, and each group's label
    for shown in ("<script>document.title='PWNED'", '<img src="x" onerror=', "<style>body, div, p",
                  "⟨U+202E⟩sdrawkcab", "more characters not shown"):
        assert shown in seen["text"], shown


def test_a_question_graded_on_the_viva_page_is_in_formgraders_rows(viva_graded, course, formgrader):
    assert formgrader_marks(course, formgrader) == viva_graded


def test_the_viva_page_after_a_reload_shows_every_answer_graded_and_the_override(viva_graded, viva_page, browser):
    base, _ = viva_page
    browser.get(f"{base}/")
    assert f"{len(CASES)} of {len(CASES)}" in browser.execute_script("return document.body.innerText")
    browser.get(f"{base}/q/answer_q1")
    assert browser.find_elements("css selector", ".todo") == []
    (student,) = [student for student, mark in viva_graded.items() if mark == OVERRIDE]
    header = browser.find_element("css selector", f'article.member[data-student="{student}"] header')
    assert "graded on their own" in header.get_attribute("textContent")


def test_nbgrader_export_counts_the_viva_points(viva_graded, course):
    subprocess.run([sys.executable, "-m", "nbgrader", "export"], cwd=course, check=True, capture_output=True,
                   timeout=600)
    import csv

    exported = {row["student_id"]: float(row["score"]) for row in csv.DictReader((course / "grades.csv").open())}
    automatic = {result.student: sum(result.cell_scores().values())
                 for result in stored_results(course / "results" / "mnist_ann")[0]}
    assert exported == pytest.approx({student: automatic[student] + viva_graded[student][0] for student in CASES})


def test_both_feedback_pages_show_the_viva_grade_and_comment(viva_graded, course, browser):
    (student,) = [student for student, mark in viva_graded.items() if mark == OVERRIDE]
    feedback = course / "feedback" / student / "mnist_ann"
    browser.get((feedback / "results.html").as_uri())
    kits = browser.execute_script("return document.body.innerText")
    assert "Viva answers" in kits and OVERRIDE[1] in kits and "2 / 2" in kits
    browser.get((feedback / "mnist_ann.html").as_uri())
    assert OVERRIDE[1] in browser.execute_script("return document.body.innerText")


def test_a_rejudge_keeps_every_viva_grade(viva_graded, course, formgrader):
    """`grade --rejudge` enters fresh automatic points through nbgrader's autograde; the manual ones stay.
    (Its results are the same here, which the kit would not enter again: the mark of their entry is
    removed, as a changed check would make them new.)"""
    (student,) = [student for student, mark in viva_graded.items() if mark == OVERRIDE]
    (course / "results" / "mnist_ann" / student / ENTERED).unlink()
    autograded = course / "autograded" / student / "mnist_ann" / "mnist_ann.ipynb"
    before = autograded.stat().st_mtime_ns
    done = subprocess.run([sys.executable, "-c", ON_A_SLICE, "--mnist", str(course.parent / "mnist_slice.npz"),
                           "grade", "--rejudge", "--student", student], cwd=course, capture_output=True, text=True,
                          timeout=1200)
    assert done.returncode == 0, done.stderr[-3000:]
    assert autograded.stat().st_mtime_ns > before, "nbgrader's autograde did not run again"
    assert formgrader_marks(course, formgrader) == viva_graded
