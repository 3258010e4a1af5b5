"""Answer groups: one question's answers gathered by how alike they read, so that a grader judges
a group once. Offline, with scikit-learn: TF-IDF over words and over character n-grams (which
survive typos and word order), then agglomerative clustering with a cosine-distance threshold.

Answers nobody wrote (blank, or nbgrader's untouched placeholder) are a group of their own; answers
identical but for case, spacing and Markdown punctuation are always in one group; each group is
labelled by its most typical answer, and the groups come largest first.
"""

import re
from dataclasses import dataclass

import numpy as np
from scipy.sparse import hstack
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

PLACEHOLDER = "your answer here"  # nbgrader's text in an answer cell the student never touched
NO_ANSWER = "no answer"
DISTANCE = 0.65  # cosine distance within which answers are gathered (bench/viva.py: on its class, 0.75 mixes levels)


@dataclass
class Group:
    key: str  # stable across regrouping: the label's normalised text ("no answer" for that group)
    label: str  # the most typical answer, as written
    students: list[str]


def normalised(text: str) -> str:
    """What two answers must share to count as one: letters and digits, in order, in lower case."""
    return " ".join(re.sub(r"[^\w%.,()=+\-−/×]+", " ", text.lower()).split())


def is_no_answer(text: str) -> bool:
    return normalised(text) in ("", PLACEHOLDER)


def vectors(texts: list[str]):
    """Rows of unit length: words (and pairs of words) beside character n-grams within words."""
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1)
    return normalize(hstack([words.fit_transform(texts), chars.fit_transform(texts)]).tocsr())


def answer_groups(answers: dict[str, str], distance: float = DISTANCE) -> list[Group]:
    """`answers`: {student: text}. Every student is in exactly one group."""
    empty = sorted(student for student, text in answers.items() if is_no_answer(text))
    by_text: dict[str, list[str]] = {}
    for student, text in sorted(answers.items()):
        if not is_no_answer(text):
            by_text.setdefault(normalised(text), []).append(student)
    groups = [Group(NO_ANSWER, "(no answer)", empty)] if empty else []
    unique = list(by_text)
    if len(unique) == 1:
        groups.append(Group(unique[0], answers[by_text[unique[0]][0]], by_text[unique[0]]))
    elif unique:
        rows = vectors(unique)
        distances = np.clip(1 - (rows @ rows.T).toarray(), 0, None)
        clusters = AgglomerativeClustering(n_clusters=None, distance_threshold=distance, metric="precomputed",
                                           linkage="average").fit_predict(distances)
        for cluster in np.unique(clusters):
            members = np.flatnonzero(clusters == cluster)
            typical = members[np.argmax((rows[members] @ rows[members].T).sum(axis=1))]
            students = sorted(student for index in members for student in by_text[unique[index]])
            groups.append(Group(unique[typical], answers[by_text[unique[typical]][0]], students))
    return sorted(groups, key=lambda group: (-len(group.students), group.key))
