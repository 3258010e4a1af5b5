"""Student text made inert on intake (submissions/inert_text.py): what nbconvert then renders from
it, as formgrader and nbgrader's feedback do, holds only allow-listed tags, attributes and URLs,
and the student's words are still there. The strings are the corpus's own (fixtures/corpus.py)."""

from html.parser import HTMLParser

import nbformat
import pytest
from hypothesis import given, settings, strategies as st
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from autograder.course import notebooks
from autograder.submissions.inert_text import ATTRIBUTES, TAGS, inert_markdown, make_inert
from fixtures.corpus import HONEST_MARKDOWN, HONEST_PNG, instructors_browser, payload
from fixtures.submissions import edited

WORDS = "Flatten only rearranges"
HOSTILE_VIVA = [case for case in instructors_browser()
                if case.edits[0].cell == "answer_q1" and not case.name.startswith("honest")]


class Elements(HTMLParser):
    """Every start tag and its attributes, as a browser's parser would see them."""

    def __init__(self, page: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def shown(source: str, attachments: dict | None = None) -> list[tuple[str, dict]]:
    """The elements nbconvert's renderer makes of a Markdown cell once it has been made inert."""
    return Elements(markdown2html_mistune(inert_markdown(source, attachments))).found


def harmless_class(tag: str, value: str) -> bool:
    """The classes nbconvert itself gives: a code block's language, pygments' highlighting, and the
    kit's own switch for MathJax; none can style a cell over the page or hook the page's scripts."""
    return ((tag == "code" and value.startswith("language-"))
            or (tag == "div" and value in {"highlight", "tex2jax_ignore"})
            or (tag == "span" and len(value) <= 3 and value.isalnum()))


def assert_inert(elements: list[tuple[str, dict]]) -> None:
    for tag, attributes in elements:
        assert tag in TAGS, f"<{tag}> survived"
        for name, value in attributes.items():
            assert name in ATTRIBUTES.get(tag, ()) or (tag, name) == ("a", "rel") \
                or (name == "class" and harmless_class(tag, value)), (tag, name, value)
            assert not str(value).lower().lstrip().startswith(("javascript:", "data:text", "vbscript:")), value
        if tag == "img" and "src" in attributes:
            assert attributes["src"].startswith("data:image/png;base64,"), attributes["src"][:40]


@pytest.fixture(scope="module")
def reference():
    return notebooks.read(notebooks.Path(__file__).parents[2] / "solutions" / "mnist_ann" / "mnist_ann.ipynb")


@pytest.mark.parametrize("case", HOSTILE_VIVA, ids=lambda case: case.name)
def test_a_hostile_viva_answer_renders_inert_and_keeps_the_students_words(case, reference):
    answer = notebooks.cell_by_id(edited(reference, *case.edits), "answer_q1").source
    assert_inert(shown(answer))
    rendered = markdown2html_mistune(inert_markdown(answer))
    assert WORDS in rendered
    assert "PWNED" not in rendered or rendered.startswith('<div class="tex2jax_ignore">')  # math shown as written


def test_markup_before_sanitizing_is_live_html_in_nbconverts_rendering(reference):
    """The test's own oracle: the same answers, not made inert, do render active HTML."""
    live = [markdown2html_mistune(notebooks.cell_by_id(edited(reference, *case.edits), "answer_q1").source)
            for case in HOSTILE_VIVA]
    assert sum("PWNED" in page and ("<script" in page or " on" in page or "javascript:" in page) for page in live) >= 5


def test_honest_markdown_is_kept_exactly_as_written():
    assert inert_markdown(HONEST_MARKDOWN) == HONEST_MARKDOWN
    for source in ("YOUR ANSWER HERE", "**Bold**, *italic*, `code <b>` and\n\n```python\nx = a < b\n```",
                   "- one\n- two\n\n1. first\n\n> quoted", "See [Keras](https://keras.io) or mail@example.org"):
        assert inert_markdown(source) == source


def test_the_honest_png_and_table_still_render(reference):
    tags = [tag for tag, _ in shown(HONEST_MARKDOWN)]
    assert "table" in tags and "img" in tags
    assert f"base64,{HONEST_PNG}" in markdown2html_mistune(HONEST_MARKDOWN)


def test_a_cell_with_markup_keeps_its_math_and_its_harmless_tags():
    source = "Units: $n_{k} < 128$ and H<sub>2</sub>O <img src=x onerror=alert(1)>"
    rendered = markdown2html_mistune(inert_markdown(source))
    assert "$n_{k} &lt; 128$" in rendered and "<sub>2</sub>" in rendered and "onerror" not in rendered


def test_mathjax_macros_that_make_links_or_styles_switch_mathjax_off_for_that_cell():
    for macro in ("\\href{javascript:alert(1)}{x}", "\\style{position:fixed}{x}", "\\class{x}{y}"):
        assert inert_markdown(f"${macro}$").startswith('<div class="tex2jax_ignore">')


def test_an_image_from_elsewhere_or_a_missing_attachment_is_left_as_its_text():
    rendered = markdown2html_mistune(inert_markdown(
        "![tracker](http://example.com/pixel.png) ![gone](attachment:nothing.png) <b>x</b>"))
    assert "tracker" in rendered and "gone" in rendered and "<img" not in rendered


def test_an_svg_attachment_is_dropped_and_a_png_one_kept():
    cell = nbformat.v4.new_markdown_cell("![a](attachment:a.svg) ![b](attachment:b.png)", attachments={
        "a.svg": {"image/svg+xml": "PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"}, "b.png": {"image/png": HONEST_PNG}})
    nb = nbformat.v4.new_notebook(cells=[cell])
    assert make_inert(nb) == [0]
    assert set(cell.attachments) == {"b.png"}
    assert_inert(shown(cell.source, cell.attachments))


def test_a_raw_cell_becomes_text():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_raw_cell(f"<script>{payload('raw')}</script>"),
                                         nbformat.v4.new_raw_cell("plain words")])
    assert make_inert(nb) == [0]
    assert nb.cells[0].source.startswith("&lt;script&gt;") and nb.cells[1].source == "plain words"


def test_the_released_notebook_is_already_inert():
    release = notebooks.read(notebooks.Path(__file__).parents[2] / "release" / "mnist_ann" / "mnist_ann.ipynb")
    assert make_inert(release) == []


FRAGMENTS = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<img/src=x/onerror=alert(1)>", "<svg onload=x>",
    "<iframe src=javascript:alert(1)>", "[a](javascript:alert(1))", "[a](<javascript:x y>)",
    "<a href='java\tscript:x'>",
    "<style>*{}</style>", "<meta http-equiv=refresh>", "<math><mi>x</mi></math>", "<!-- c -->", "<b>", "</b>",
    "<div>", "</div>", "`", "```", "\n", "\n\n", "    ", "> ", "- ", "| a | b |\n|---|---|\n", "$", "$$",
    "\\(", "\\)", "\\href{javascript:x}{y}", "*", "_", "![i](data:text/html;base64,PHNjcmlwdD4=)",
    "![i](data:image/png;base64,iVBORw0KGgo=)", "<", ">", "&", "&lt;", "&#60;script&#62;", "x", "words ",
    "<a href=\"http://ok.example\">ok</a>", "<IMG SRC=\"jav&#x09;ascript:alert(1)\">", "<p style=\"position:fixed\">"])


@settings(max_examples=300, deadline=None)
@given(st.lists(FRAGMENTS, max_size=14).map("".join))
def test_any_mix_of_markdown_and_markup_renders_inert(source):
    assert_inert(shown(source))
    assert_inert(shown(inert_markdown(source)))  # and so is what nbconvert makes of it a second time
