"""The reports' HTML pages: one Jinja environment, escaping everything (the pages quote students)."""

import hashlib
import json
from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader

from .. import __version__
from ..course.files import write_text_atomically

# Every page the kit writes carries this policy (a <meta> in the page; a header wherever one is served):
# no script at all, inline, loaded or in an attribute; images only as data: URLs (the figures are
# embedded); styles only the page's own; nothing may be framed, posted or fetched.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'none'; img-src data:; style-src 'unsafe-inline'; "
                           "base-uri 'none'; form-action 'none'")

@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("autograder.reports"), autoescape=True)
    env.globals["content_security_policy"] = CONTENT_SECURITY_POLICY
    return env


def write_page(path: Path, template: str, **context) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(path, environment().get_template(template).render(kit_version=__version__, **context))
    return path


def fingerprint(*inputs) -> str:
    """What a page is drawn from, as one digest (the kit's version included): a page whose fingerprint
    is unchanged is not drawn again, figures and all."""
    return hashlib.sha256(json.dumps([*inputs, __version__], default=str).encode()).hexdigest()


def drawn_from(path: Path, digest: str) -> bool:
    """The page at `path` was drawn from exactly these inputs (the fingerprint in its <meta>)."""
    return path.is_file() and f'content="{digest}"' in path.read_text()
