"""The probe phase: each step function asked its questions where no other student code reaches.

It comes first in the sandboxed process, before any of the notebook's own code runs.
The notebook's definitions alone (definitions.py) are loaded into this process; then
each step function is probed in a child forked from it, with a CPU-time
limit, and its answer comes back through a pipe of its own and is saved at once.
A function can only ever answer for itself: no child can write another step's
answer, and nothing the notebook does at top level runs here at all. The answers
go into a folder no path inside the sandbox leads to, through a descriptor the
grader passed in; each child closes it before the student's function runs, and
this process is not dumpable, so no child can reopen it through /proc. The folder is
closed before the notebook runs (harness.py).
"""

import ast
import io
import json
import os
import resource
import select
import signal
import time

from .probe_inputs import probe_inputs
from .probes import PROBES, STEPS
from .record_format import PROBE_ARRAYS, PROBE_RECORD, Record, describe_error

ANSWER_BYTES = 16 << 20
OUT_OF_TIME = "TimeoutError: the probes' wall clock ran out"  # probe_wall_seconds, for all of them together


class Answers:
    """Where a probe in the child puts the arrays it returns."""

    def __init__(self):
        self.arrays = {}


def load_definitions(notebook: str, record: Record) -> dict:
    from .definitions import definitions

    namespace = {"__name__": "__main__"}
    with open(notebook) as handle:
        cells = [c for c in json.load(handle)["cells"] if c["cell_type"] == "code"]
    for cell in cells:
        cell_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        failed = None
        for statement in definitions(source).body:  # one by one: a failed import costs only itself
            try:
                module = ast.Module(body=[statement], type_ignores=[])
                exec(compile(module, f"<cell {cell_id}>", "exec"), namespace)  # noqa: S102
            except BaseException as error:  # noqa: BLE001 - an import may fail, a name may be missing
                failed = failed or describe_error(error)
        if failed:
            record.data["cells"].append({"id": cell_id, "seconds": 0.0, "error": failed})
    return namespace


def answer_in_child(step: str, function, inputs: dict, answers_fd: int, cpu_seconds: int,
                    wall_seconds: float) -> tuple[dict, dict]:
    """Fork, probe `function` in the child (the answers' folder closed), read its answer and arrays
    back within `wall_seconds`; never raises."""
    import numpy as np

    if wall_seconds <= 0:
        return {"error": f"{OUT_OF_TIME} before this function was asked"}, {}

    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the student's function runs here and nowhere else
        status = 70  # EX_SOFTWARE: the probe's own set-up failed
        try:
            os.close(answers_fd)
            os.close(reader)
            answer_here(step, function, inputs, writer, cpu_seconds)
            status = 0
        finally:
            os._exit(status)  # whatever happened: never on into the parent's code, nor its exit handlers
    os.close(writer)
    data, ended = read_until_closed(reader, wall_seconds)
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    _, status = os.waitpid(pid, 0)
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            answer = json.loads(str(archive["__answer__"]))
            return answer, {key: archive[key] for key in archive.files if key != "__answer__"}
    except Exception:  # noqa: BLE001 - the child died, timed out or wrote something else
        return {"error": ended or died_how(status)}, {}


def answer_here(step: str, function, inputs: dict, writer: int, cpu_seconds: int) -> None:
    """In the probe's child: ask `function`, write its answer and arrays to the pipe."""
    import numpy as np

    os.setpgid(0, 0)
    resource.setrlimit(resource.RLIMIT_CPU, cpu_limit(cpu_seconds))
    answers = Answers()
    try:
        answer = PROBES[step](function, inputs, answers)
    except BaseException as error:  # noqa: BLE001 - student code may raise anything, SystemExit included
        answer, answers.arrays = {"error": describe_error(error)}, {}
    buffer = io.BytesIO()
    np.savez(buffer, __answer__=np.array(json.dumps(answer, default=repr)), **answers.arrays)
    with os.fdopen(writer, "wb") as pipe:
        pipe.write(buffer.getvalue())


def cpu_limit(seconds: int) -> tuple[int, int]:
    """A probe's CPU limit: its own, within the whole run's (which no process here may raise): SIGXCPU
    at the soft limit, a second before SIGKILL at the hard one."""
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY:
        return seconds, seconds + 1
    return max(1, min(seconds, hard - 1)), hard


def read_until_closed(reader: int, wall_seconds: float) -> tuple[bytes, str]:
    chunks, size, deadline = [], 0, time.monotonic() + wall_seconds
    with os.fdopen(reader, "rb", buffering=0) as pipe:
        while True:
            ready, _, _ = select.select([pipe], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                return b"", f"{OUT_OF_TIME} during this call"
            chunk = pipe.read(1 << 16)
            if not chunk:
                return b"".join(chunks), ""
            chunks.append(chunk)
            size += len(chunk)
            if size > ANSWER_BYTES:
                return b"", "ValueError: the answer was too large"


def died_how(status: int) -> str:
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
        return "TimeoutError: the call used up its CPU time"
    if os.WIFSIGNALED(status):
        return f"SystemError: the call was ended by signal {os.WTERMSIG(status)}"
    return f"SystemExit: the call ended the process (status {os.WEXITSTATUS(status)})"


def not_dumpable() -> None:
    """PR_SET_DUMPABLE 0: processes of the same user may not open this one's descriptors or memory."""
    import ctypes

    if ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")


def probe(notebook: str, answers_fd: int, seed: int, cpu_seconds: int, wall_seconds: int) -> None:
    """Probe every step function the notebook defines, each within `cpu_seconds`, all within
    `wall_seconds`; then close the answers' folder for good, so nothing that runs after (the
    notebook itself) can reach it."""
    started = time.monotonic()
    not_dumpable()
    import matplotlib

    matplotlib.use("Agg")
    try:
        record = Record(answers_fd, PROBE_RECORD, PROBE_ARRAYS)
        record.data.update(probes={}, seconds=0.0)
        namespace = load_definitions(notebook, record)
        if isinstance(namespace.get("LABEL_ENCODING"), str):
            record.data["label_encoding"] = namespace["LABEL_ENCODING"][:50]
        record.save()
        inputs = {**probe_inputs(seed), "label_encoding": record.data.get("label_encoding")}
        deadline = started + wall_seconds  # the notebook keeps the rest of the run's
        for step in STEPS:
            if callable(namespace.get(step)):
                answered = time.monotonic()
                answer, arrays = answer_in_child(step, namespace[step], inputs, answers_fd, cpu_seconds,
                                                 deadline - answered)
                answer = answer if isinstance(answer, dict) else {"error": "ValueError: the answer was not a record"}
                record.data["probes"][step] = {**answer, "seconds": round(time.monotonic() - answered, 2)}
                record.arrays.update({key: value for key, value in arrays.items() if key == step})
                record.save()
        record.data["seconds"] = round(time.monotonic() - started, 2)
        record.save()
    finally:
        os.close(answers_fd)
