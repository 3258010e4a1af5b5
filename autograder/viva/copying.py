"""A copying signal, never a verdict: pairs of students whose answers share wording that almost no
one else in the class uses, once the model answer's and the rubric's wording are set aside.

Two honest students often write the same short sentence, and so do twenty; that is the common way
to say it, not a sign. What two copies share is what nobody else wrote: their own turns of phrase,
their typos. So an answer is read as its character n-grams (within words, so word order matters
little), an n-gram counts only when at most RARE answers of the class hold it and the model answer
and rubric do not, and a pair's likeness on a question is the share of such n-grams the two have in
common (Jaccard).
"""

from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from .grouping import is_no_answer, normalised

RARE = 2  # answers that may hold an n-gram for it still to be one's own turn of phrase
SHORTEST = 8  # rare n-grams an answer needs before its likeness means anything


@dataclass
class Pair:
    students: tuple[str, str]
    likeness: dict[int, float] = field(default_factory=dict)  # question -> share of rare wording in common

    @property
    def strongest(self) -> float:
        return max(self.likeness.values())


def likeness(answers: dict[str, str], set_aside: str) -> dict[tuple[str, str], float]:
    """{(student, student): share of their rare n-grams held in common}, for one question's answers."""
    students = sorted(student for student, text in answers.items() if not is_no_answer(text))
    if len(students) < 2:
        return {}
    grams = CountVectorizer(analyzer="char", ngram_range=(6, 6), binary=True)
    held = grams.fit_transform([normalised(answers[student]) for student in students]).tocsc()
    known = set(grams.build_analyzer()(normalised(set_aside)))
    rare = np.flatnonzero((np.asarray(held.sum(axis=0)).ravel() <= RARE) &
                          np.array([gram not in known for gram in grams.get_feature_names_out()]))
    own = held[:, rare].tocsr().astype(np.int32)
    sizes = np.asarray(own.sum(axis=1)).ravel()
    shared = (own @ own.T).tocoo()  # only pairs with some rare n-gram in common
    found = {}
    for first, second, common in zip(shared.row, shared.col, shared.data):
        if first < second and min(sizes[first], sizes[second]) >= SHORTEST:
            found[(students[first], students[second])] = common / (sizes[first] + sizes[second] - common)
    return found


def copied_pairs(answers: dict[int, dict[str, str]], set_aside: dict[int, str], threshold: float) -> list[Pair]:
    """`answers`: {question: {student: text}}; `set_aside`: {question: model answer and rubric}. The pairs
    alike beyond `threshold` on at least one question, the most questions and the likest first."""
    pairs: dict[tuple[str, str], Pair] = {}
    for question, texts in answers.items():
        for students, share in likeness(texts, set_aside.get(question, "")).items():
            if share >= threshold:
                pairs.setdefault(students, Pair(students)).likeness[question] = round(float(share), 3)
    return sorted(pairs.values(), key=lambda pair: (-len(pair.likeness), -pair.strongest, pair.students))
