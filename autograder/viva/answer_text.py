"""A student's answer as the viva page shows it: their Markdown rendered with every bit of HTML they
wrote escaped into text, cleaned once more against an allow-list, direction overrides shown as
visible marks (so an answer cannot reorder the page around it), and a very long answer cut, saying
how much was left out.
"""

import re
from functools import cache

import mistune
import nh3
from markupsafe import Markup

SHOWN = 20_000  # characters of one answer on the page
DIRECTION_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
TAGS = {"p", "br", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td", "del", "hr", "a"}


@cache
def markdown():
    return mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])


def answer_html(text: str) -> Markup:
    shown = DIRECTION_CONTROLS.sub(lambda found: f"⟨U+{ord(found.group()):04X}⟩", text[:SHOWN])
    html = nh3.clean(markdown()(shown), tags=TAGS, attributes={"a": {"href"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")
    if len(text) > SHOWN:
        html += f'<p class="cut">(… {len(text) - SHOWN:,} more characters not shown)</p>'
    return Markup(html)
