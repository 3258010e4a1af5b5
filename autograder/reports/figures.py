"""The reports' figures, drawn by the grader from stored numbers (never by student code), as PNG bytes."""

import base64
import io
from functools import cache

import numpy as np


@cache
def pyplot():
    """matplotlib's pyplot on its file-only backend, imported when a figure is first drawn (a report
    with nothing new to draw starts half a second sooner)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    pyplot().close(figure)
    return buffer.getvalue()


def data_uri(image: bytes) -> str:
    """An image to put in a page's <img src>: the page stays one self-contained file."""
    return "data:image/png;base64," + base64.b64encode(image).decode()


def learning_curves(history: dict[str, list[float]]) -> bytes | None:
    """Accuracy and loss per epoch, training beside validation, as the student's run exported them."""
    panels = [metric for metric in ("accuracy", "loss") if metric in history]
    if not panels:
        return None
    figure, axes = pyplot().subplots(1, len(panels), figsize=(4.2 * len(panels), 3.2), squeeze=False)
    for ax, metric in zip(axes[0], panels):
        for name, style in ((metric, "-o"), (f"val_{metric}", "--s")):
            if name in history:
                values = history[name]
                ax.plot(range(1, len(values) + 1), values, style, markersize=3, label=name.replace("_", " "))
        ax.set(xlabel="epoch", ylabel=metric, title=f"{metric} per epoch")
        ax.legend()
    return png(figure)


def confusion_heatmap(matrix: list[list[int]]) -> bytes:
    counts = np.asarray(matrix)
    figure, ax = pyplot().subplots(figsize=(5, 4.4))
    ax.imshow(counts, cmap="Blues")
    for (row, column), count in np.ndenumerate(counts):
        ax.text(column, row, str(count), ha="center", va="center", fontsize=7,
                color="white" if count > counts.max() / 2 else "black")
    ax.set(xticks=range(10), yticks=range(10), xlabel="predicted digit", ylabel="true digit",
           title="confusion matrix, measured by the grader")
    return png(figure)


def score_histogram(scores: list[float], maximum: float) -> bytes:
    figure, ax = pyplot().subplots(figsize=(5, 3))
    ax.hist(scores, bins=np.linspace(0, maximum, min(int(maximum) + 1, 21) + 1) if maximum else 10,
            color="#4a7", edgecolor="white")
    ax.set(xlabel=f"score (of {maximum:g})", ylabel="students", title="scores")
    ax.yaxis.get_major_locator().set_params(integer=True)
    return png(figure)


def accuracy_distribution(accuracies: list[float], threshold: float) -> bytes:
    figure, ax = pyplot().subplots(figsize=(5, 3))
    low = min([*accuracies, threshold]) - 0.01
    ax.hist(accuracies, bins=np.linspace(low, 1, 21), color="#47a", edgecolor="white")
    ax.axvline(threshold, color="#b22", linestyle="--", label=f"threshold {threshold:.0%}")
    ax.set(xlabel="test accuracy measured by the grader", ylabel="students", title="measured accuracy")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend()
    return png(figure)
