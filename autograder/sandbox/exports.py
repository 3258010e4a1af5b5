"""Reading a run's exports in the grader: JSON and .npz only, never pickles, and only
the schema the harness writes (inside/record_format.py documents it key by key)."""

import base64
import binascii
import json
import math
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from .inside.cell_outputs import IMAGE_BYTES, IMAGES_PER_CELL, TEXT_CHARS
from .inside.record_format import ARRAYS, ERROR_CHARS, OUTPUTS, PROBE_ARRAYS, PROBE_RECORD, RECORD, SCHEMA_VERSION


class CellRun(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str | None = None
    seconds: float = 0.0
    error: str | None = None

    @field_validator("id", "error", mode="before")
    @classmethod
    def as_text(cls, value: Any) -> str | None:
        """Student code wrote this: anything that is not text is kept as its short repr."""
        return None if value is None else value[:ERROR_CHARS] if isinstance(value, str) else repr(value)[:ERROR_CHARS]


class RunRecord(BaseModel):
    """record.json or probes.json as the grader reads it; a field of the wrong kind makes it unreadable."""

    model_config = ConfigDict(extra="ignore")

    schema_version: int
    cells: list[CellRun] = []
    label_encoding: str | None = None
    probes: dict[str, dict] = {}
    fit_calls: list[dict] = []
    final: dict = {}
    finished: bool = False
    seconds: float = 0.0


REFUSED = "refused.json"  # the grader's own note of the exports it would not copy, and why


def read_record(folder: Path, name: str = RECORD) -> dict:
    """The run's record as plain data; {} when there is none, or it was refused (see `refusal`)."""
    record, _ = parsed(folder, name)
    return record


def refusal(folder: Path, name: str = RECORD) -> str | None:
    """Why the run's record was refused, if it was: too large or not a file (never copied), not JSON,
    of another schema, or with a field of the wrong kind. None when it was read, or never written."""
    _, why = parsed(folder, name)
    return why


def parsed(folder: Path, name: str, validate: bool = True) -> tuple[dict, str | None]:
    noted = folder / REFUSED
    if noted.is_file() and name in (refused := json.loads(noted.read_text())):
        return {}, refused[name]
    try:
        raw = json.loads((folder / name).read_text())
    except FileNotFoundError:
        return {}, None
    except (OSError, ValueError):  # written by student code: anything may be wrong with it
        return {}, "it is not JSON"
    except RecursionError:  # refused like one too large: no record the harness writes is nested so deep
        return {}, "it is nested too deeply to read"
    if not isinstance(raw, dict) or raw.get("schema_version") != SCHEMA_VERSION:
        return {}, f"it is not a record of schema {SCHEMA_VERSION}"
    if not validate:
        return raw, None
    try:
        return RunRecord.model_validate(raw).model_dump(exclude_unset=False), None
    except ValidationError as error:
        return {}, f"{error.error_count()} of its fields are of the wrong kind"
    except RecursionError:
        return {}, "it is nested too deeply to read"


def read_probes(folder: Path) -> dict:
    """What the probe phase recorded (probes.json)."""
    return read_record(folder, PROBE_RECORD)


def read_arrays(folder: Path, unpacked_limit: int, name: str = ARRAYS) -> dict[str, np.ndarray]:
    """The run's arrays; {} when there are none, or they are unreadable, or would inflate past the limit."""
    path = folder / name
    if not path.is_file():
        return {}
    try:
        with zipfile.ZipFile(path) as bundle:  # refuse a zip bomb before numpy inflates it
            if sum(member.file_size for member in bundle.infolist()) > unpacked_limit:
                return {}
        with np.load(path, allow_pickle=False) as archive:
            return {key: archive[key] for key in archive.files}
    except Exception:  # written by student code: anything may be wrong with it
        return {}


def read_probe_arrays(folder: Path, unpacked_limit: int) -> dict[str, np.ndarray]:
    """The arrays the step functions returned (probes.npz)."""
    return read_arrays(folder, unpacked_limit, PROBE_ARRAYS)


PNG = b"\x89PNG\r\n\x1a\n"


class CellShown(BaseModel):
    """One cell's entry of outputs.json, as the feedback shows it: text cut to its size, and only
    images that are PNGs within their size (student code wrote it: nothing else is let through)."""

    model_config = ConfigDict(extra="ignore")

    id: str | None = None
    stdout: str = ""
    stderr: str = ""
    images: list[str] = []

    @field_validator("stdout", "stderr", mode="before")
    @classmethod
    def cut(cls, value: Any) -> str:
        return value[-TEXT_CHARS:] if isinstance(value, str) else ""

    @field_validator("images", mode="before")
    @classmethod
    def pngs(cls, value: Any) -> list[str]:
        return [image for image in value[:IMAGES_PER_CELL] if is_png(image)] if isinstance(value, list) else []


def is_png(image: Any) -> bool:
    if not isinstance(image, str) or len(image) > IMAGE_BYTES * 4 // 3 + 4:
        return False
    try:
        return base64.b64decode(image, validate=True).startswith(PNG)
    except (binascii.Error, ValueError):
        return False


def read_outputs(folder: Path) -> list[CellShown]:
    """What each cell of the notebook run showed; [] when there is no readable outputs.json."""
    raw, _ = parsed(folder, OUTPUTS, validate=False)
    cells = raw.get("cells")
    return [CellShown.model_validate(cell) for cell in cells if isinstance(cell, dict)] if isinstance(cells, list) else []


def training_history(record: dict, epochs: int = 1000) -> dict[str, list[float]]:
    """The History of the last fit that returned one, as finite numbers per metric; {} if none is usable."""
    for call in reversed(record.get("fit_calls", [])):
        history = call.get("history") if isinstance(call, dict) else None
        if isinstance(history, dict) and history:
            curves = {str(metric)[:40]: [float(v) for v in values[:epochs]] for metric, values in list(history.items())[:8]
                      if isinstance(values, list) and all(isinstance(v, (int, float)) for v in values)}
            return {metric: values for metric, values in curves.items() if all(map(math.isfinite, values))}
    return {}
