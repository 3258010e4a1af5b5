"""What the grader's preflight runs in the sandbox, started exactly as a run is (sandbox/preflight.py):
a report, as one JSON line, of what works in there. Nothing here is a student's.

`run`: the interpreter started (or this would not print), the network cut as the harness cuts it,
NumPy and Keras import, the workdir and /tmp take a file, no socket opens.
`limits`: under deliberately small limits, a child that takes more memory than allowed is
stopped, the process limit holds, and the cores are the ones given.
"""

import json
import os
import socket
import subprocess
import sys
import time

# Grows 16 MiB at a time, touching every page, up to `cap` bytes: stopped before that if a limit holds.
GROW = "import sys\nb = []\nwhile len(b) * (16 << 20) < int(sys.argv[1]):\n    b.append(bytearray(b'x') * (16 << 20))"


def attempt(action) -> str:
    try:
        action()
        return "ok"
    except BaseException as error:  # any failure, SystemExit included, is what the report is for
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        return f"{type(error).__name__}: {lines[-1] if lines else ''}"[:300]  # an ImportError's cause comes last


def write(path: str) -> None:
    with open(path, "w") as file:
        file.write("x")
    os.remove(path)


def no_socket() -> None:
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except OSError:
        return
    raise RuntimeError("a socket could be opened")


def run_report() -> dict:
    from .no_network import cut_network

    network = cut_network()
    return {"network": network, "numpy": attempt(lambda: __import__("numpy")),
            "keras": attempt(lambda: __import__("keras").layers.Dense(2)),
            "workdir": attempt(lambda: write("preflight.txt")), "tmp": attempt(lambda: write("/tmp/preflight.txt")),
            "socket": attempt(no_socket) if network.startswith("network: no socket") else "not cut"}


def processes_capped(processes: int) -> str:
    """Fork twice the allowed processes; the limit holds when some could not start."""
    children, refused = [], False
    for _ in range(2 * processes):
        try:
            pid = os.fork()
        except OSError:
            refused = True
            break
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        children.append(pid)
    for pid in children:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    return "ok" if refused else f"{len(children)} processes started under a limit of {processes}"


def limits_report(processes: str, memory_bytes: str) -> dict:
    cap = 4 * int(memory_bytes)  # a child that gets this far was not stopped
    grown = subprocess.run([sys.executable, "-I", "-c", GROW, str(cap)], capture_output=True, timeout=600)
    return {"memory": "ok" if grown.returncode != 0 else f"a child grew to {cap >> 20} MiB under a limit of "
                                                          f"{int(memory_bytes) >> 20} MiB",
            "processes": processes_capped(int(processes)), "cores": sorted(os.sched_getaffinity(0))}


def main(mode: str, *arguments: str) -> None:
    report = run_report() if mode == "run" else limits_report(*arguments)
    print("PREFLIGHT " + json.dumps(report), flush=True)
