"""Student text made inert before any page shows it to the instructor.

Formgrader and nbgrader's feedback render each Markdown cell with nbconvert's mistune renderer,
which passes raw HTML and `javascript:` links through, and their templates skip nbconvert's own
sanitizer: a viva answer holding `<img onerror=…>` runs on the Jupyter server's origin, as the
instructor. So every Markdown cell is read here with that same parser. A cell with nothing active
in it (no raw HTML, links only to the web or mail, images only as PNG, JPEG or GIF data or
attachments, no MathJax macro that makes links or styles) is kept exactly as written, which also
keeps nbgrader's checksum of an untouched answer. Any other cell is replaced by its rendering,
cleaned by nh3 (the ammonia sanitizer) against an allow-list, stored as one inert HTML block: the
student's words stay, the active parts go. Raw cells, which nbconvert emits as HTML, become
escaped text; attachments keep only raster images.
"""

import html

import nh3
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbformat import NotebookNode

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif")
IMAGE_DATA = tuple(f"data:{kind};base64," for kind in IMAGE_TYPES)
LINK_PREFIXES = ("http://", "https://", "mailto:", "#")
# MathJax's HTML extension turns these into links, classes and styles (\href{javascript:…}{x}).
ACTIVE_TEX = ("\\href", "\\class", "\\cssId", "\\style", "\\data", "\\require")
TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "b", "i", "u", "s", "del", "ins",
        "sub", "sup", "code", "pre", "kbd", "samp", "var", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
        "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "a", "img", "span", "div"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}, "ol": {"start"},
              "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}


def make_inert(nb: NotebookNode) -> list[int]:
    """Every Markdown and raw cell of `nb` made inert, in place; the indices of the cells changed."""
    changed = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            attachments = raster_attachments(cell)
            source = inert_markdown(cell.source, attachments)
            if source != cell.source or attachments != cell.get("attachments", {}):
                cell.source = source
                changed.append(index)
                if "attachments" in cell:
                    cell.attachments = attachments
        elif cell.cell_type == "raw" and html.escape(cell.source) != cell.source:
            cell.source = html.escape(cell.source)
            changed.append(index)
    return changed


def raster_attachments(cell: NotebookNode) -> dict:
    """The cell's attachments with only PNG, JPEG or GIF data left (an SVG or HTML one is dropped)."""
    kept = {}
    for name, bundle in (cell.get("attachments") or {}).items():
        images = {kind: data for kind, data in bundle.items() if kind in IMAGE_TYPES and isinstance(data, str)} \
            if isinstance(bundle, dict) else {}
        if images:
            kept[name] = images
    return kept


def inert_markdown(source: str, attachments: dict | None = None) -> str:
    """`source` itself when nothing in it is active, else its cleaned rendering as one HTML block."""
    attachments = attachments or {}
    tokens = MarkdownWithMath(renderer=None)(source)
    risky_tex = any(macro in source for macro in ACTIVE_TEX)
    if not risky_tex and not any(active(token, attachments) for token in walk(tokens)):
        return source
    rendered = MarkdownWithMath(renderer=InertRenderer(attachments)).render(source)
    cleaned = clean(rendered).strip().replace("\n", "&#10;")  # one line: one HTML block, nothing re-parsed
    # MathJax leaves alone what is inside tex2jax_ignore: the macros above then show as written.
    return f'<div class="tex2jax_ignore">{cleaned}</div>' if risky_tex else f"<div>{cleaned}</div>"


def walk(tokens: list) -> list[dict]:
    found = []
    for token in tokens:
        found.append(token)
        found += walk(token.get("children") or [])
    return found


def active(token: dict, attachments: dict) -> bool:
    """Whether this token of mistune's tree makes anything but inert text and images on the page."""
    kind, url = token.get("type"), (token.get("attrs") or {}).get("url", "")
    if kind in ("block_html", "inline_html"):
        return True
    if kind == "block_code":
        return str((token.get("attrs") or {}).get("info") or "").strip().startswith("mermaid")
    if kind == "link":
        return not allowed_link(url)
    if kind == "image":
        return not allowed_image(url, attachments)
    return False


def allowed_link(url: str) -> bool:
    return url.startswith(LINK_PREFIXES)


def allowed_image(url: str, attachments: dict) -> bool:
    return url.startswith(IMAGE_DATA) or (url.startswith("attachment:") and url[len("attachment:"):] in attachments)


class InertRenderer(IPythonRenderer):
    """nbconvert's renderer, but a link or image to anywhere else is left as its text."""

    def __init__(self, attachments: dict):
        super().__init__(escape=False, allow_harmful_protocols=False, exclude_anchor_links=True,
                         attachments=attachments)

    def link(self, text: str, url: str, title: str | None = None) -> str:
        return super().link(text, url, title) if allowed_link(url) else text

    def image(self, text: str, url: str, title: str | None = None) -> str:
        return super().image(text, url, title) if allowed_image(url, self.attachments) else text


def clean(fragment: str) -> str:
    """An HTML fragment with only the allow-listed tags and attributes, and only safe URLs."""
    return nh3.clean(fragment, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto", "data"},
                     attribute_filter=safe_url, link_rel="noopener noreferrer nofollow", strip_comments=True)


def safe_url(tag: str, attribute: str, value: str) -> str | None:
    if (tag, attribute) == ("a", "href"):
        return value if allowed_link(value) else None
    if (tag, attribute) == ("img", "src"):
        return value if value.startswith(IMAGE_DATA) else None
    return value
