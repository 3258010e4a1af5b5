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
import time


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


def grows_to(cap: int) -> bool:
    """Whether a forked child could fill `cap` bytes, 16 MiB at a time, touching every page (a limit that
    holds stops it first: a MemoryError, or the kernel's OOM killer). Forked, not started: nothing is exec'd."""
    pid = os.fork()
    if pid == 0:
        try:
            kept = [bytearray(b"x") * (16 << 20) for _ in range(cap // (16 << 20))]
            os._exit(0 if kept else 1)
        except BaseException:  # MemoryError above all: the limit held
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def memory_capped(memory_bytes: int) -> str:
    cap = 4 * memory_bytes  # a child that gets this far was not stopped
    return f"a child grew to {cap >> 20} MiB under a limit of {memory_bytes >> 20} MiB" if grows_to(cap) else "ok"


def say(report: dict) -> None:
    print("PREFLIGHT " + json.dumps(report), flush=True)


def main(mode: str, *arguments: str) -> None:
    if mode == "run":
        say(run_report())
    else:
        processes, memory_bytes = map(int, arguments)
        say({"processes": processes_capped(processes), "cores": sorted(os.sched_getaffinity(0))})
        # last: where the kernel's OOM kill takes the whole run (cgroup v2's memory.oom.group), the kill is the answer
        say({"memory": memory_capped(memory_bytes)})
