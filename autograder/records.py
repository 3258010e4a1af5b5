"""Reading what crossed a process boundary: JSON and .npz only, never pickles."""

import json
from pathlib import Path

import numpy as np


def read_record(folder: Path) -> dict:
    path = folder / "record.json"
    if not path.is_file():
        return {}
    try:
        record = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError):
        return {}
    return record if isinstance(record, dict) else {}


def read_arrays(folder: Path) -> dict[str, np.ndarray]:
    path = folder / "arrays.npz"
    if not path.is_file():
        return {}
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {key: archive[key] for key in archive.files}
    except (OSError, ValueError):
        return {}
