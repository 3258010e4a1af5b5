"""No network for anything the run does: a seccomp filter, set by the harness before any of the
notebook's code runs and inherited by every process it starts, refuses every new socket, of any
family (and io_uring, which could open one past the filter). A connected pair of sockets
(`socketpair`, which multiprocessing's pipes use) reaches no one else and is still allowed. Under
bubblewrap the run has no network anyway (a namespace of its own); where no namespaces may be
made (Gradescope's container), this filter is what keeps a run from downloading, say, the test
split, or from reaching a daemon of the container by a Unix socket. Built with libseccomp, which
knows each architecture's system calls."""

import ctypes
import errno

ALLOW = 0x7FFF0000  # SCMP_ACT_ALLOW


def refuse(code: int) -> int:
    return 0x00050000 | code  # SCMP_ACT_ERRNO(code)


def cut_network() -> str:
    """Install the filter in this process (for good); say what was done, for the run's log."""
    try:
        seccomp = ctypes.CDLL("libseccomp.so.2", use_errno=True)
    except OSError as error:
        return f"network: not cut here (no libseccomp: {error})"
    seccomp.seccomp_init.restype = ctypes.c_void_p
    seccomp.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint,
                                               ctypes.c_void_p]
    seccomp.seccomp_load.argtypes = seccomp.seccomp_release.argtypes = [ctypes.c_void_p]
    context = seccomp.seccomp_init(ALLOW)
    try:
        number = seccomp.seccomp_syscall_resolve_name
        if seccomp.seccomp_rule_add_array(context, refuse(errno.EACCES), number(b"socket"), 0, None):
            return "network: not cut here (libseccomp refused the rule)"
        if number(b"io_uring_setup") >= 0:
            seccomp.seccomp_rule_add_array(context, refuse(errno.ENOSYS), number(b"io_uring_setup"), 0, None)
        if seccomp.seccomp_load(context) != 0:
            return "network: not cut here (the filter could not be loaded)"
    finally:
        seccomp.seccomp_release(context)
    return "network: no socket may be opened (seccomp)"
