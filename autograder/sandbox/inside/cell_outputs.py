"""What each cell of the notebook run showed, kept for the student's feedback (outputs.json).

The printed text is kept as a terminal shows it (a progress bar's redraws collapsed to
their last state) and only its tail; the figures open at the end of a cell are saved as
small PNGs and closed, as Jupyter's inline backend does. Everything is bounded, so a
cell that prints forever costs memory it cannot grow.
"""

import base64
import collections
import io
import re
import sys
from contextlib import contextmanager

TEXT_CHARS, LINE_CHARS = 4000, 500  # the tail of a cell's text kept, and of each line
CONTROL = re.compile(r"([\r\n\b])")
IMAGES_PER_CELL, IMAGE_BYTES, TOTAL_IMAGE_BYTES = 4, 300_000, 2_000_000


class Tail(io.TextIOBase):
    """A stream that passes text on and keeps its last lines as a terminal shows them: a carriage
    return starts the line afresh and a backspace takes a character back, so Keras's progress bar,
    which redraws itself thousands of times an epoch, leaves one line an epoch."""

    def __init__(self, passes_to):
        self.passes_to, self.lines, self.line, self.returned = passes_to, collections.deque(maxlen=200), "", False

    def write(self, text: str) -> int:
        self.passes_to.write(text)
        for piece in CONTROL.split(text):
            if piece == "\n":
                self.lines.append(self.line)
                self.line, self.returned = "", False
            elif piece == "\r":
                self.returned = True
            elif piece == "\b":
                self.line = self.line[:-1]
            elif piece:
                self.line = ("" if self.returned else self.line)[:LINE_CHARS] + piece[:LINE_CHARS]
                self.returned = False
        return len(text)

    def flush(self) -> None:
        self.passes_to.flush()

    @property
    def text(self) -> str:
        return "\n".join([*self.lines, self.line] if self.line else self.lines)[-TEXT_CHARS:]


@contextmanager
def captured():
    """stdout and stderr of one cell, still passed on to the run's log."""
    out, err = Tail(sys.stdout), Tail(sys.stderr)
    sys.stdout, sys.stderr = out, err
    try:
        yield out, err
    finally:
        sys.stdout, sys.stderr = out.passes_to, err.passes_to


def figures_shown(budget: list[int]) -> list[str]:
    """The figures left open by a cell, as base64 PNGs within the budget; all are closed."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return []
    images = []
    for number in pyplot.get_fignums()[:IMAGES_PER_CELL]:
        buffer = io.BytesIO()
        try:
            pyplot.figure(number).savefig(buffer, format="png", dpi=60)
        except Exception:  # the student's figure: one that cannot be drawn is simply not shown
            continue
        png = buffer.getvalue()
        if len(png) <= min(IMAGE_BYTES, budget[0]):
            budget[0] -= len(png)
            images.append(base64.b64encode(png).decode())
    pyplot.close("all")
    return images


def cell_output(cell_id, out: Tail, err: Tail, budget: list[int]) -> dict:
    return {"id": cell_id, "stdout": out.text, "stderr": err.text, "images": figures_shown(budget)}
