"""The reports' HTML pages: one Jinja environment, escaping everything (the pages quote students)."""

from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader

from .. import __version__
from ..course.files import write_text_atomically


@cache
def environment() -> Environment:
    return Environment(loader=PackageLoader("autograder.reports"), autoescape=True)


def write_page(path: Path, template: str, **context) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(path, environment().get_template(template).render(kit_version=__version__, **context))
    return path
