"""No IP network for anything the run does: a seccomp filter, set by the harness before any of the
notebook's code runs and inherited by every process it starts, refuses IPv4 and IPv6 sockets (and
io_uring, which could open one past the filter). Under bubblewrap the run has no network anyway
(a namespace of its own); where no namespaces may be made (Gradescope's container), this filter is
what keeps a run from downloading, say, the test split. Built with libseccomp, which knows each
architecture's system calls."""

import ctypes
import errno
import socket

ALLOW = 0x7FFF0000  # SCMP_ACT_ALLOW
EQUAL = 4  # SCMP_CMP_EQ


def refuse(code: int) -> int:
    return 0x00050000 | code  # SCMP_ACT_ERRNO(code)


class ArgumentTest(ctypes.Structure):  # struct scmp_arg_cmp
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int), ("datum_a", ctypes.c_uint64),
                ("datum_b", ctypes.c_uint64)]


def cut_network() -> str:
    """Install the filter in this process (for good); say what was done, for the run's log."""
    try:
        seccomp = ctypes.CDLL("libseccomp.so.2", use_errno=True)
    except OSError as error:
        return f"network: not cut here (no libseccomp: {error})"
    seccomp.seccomp_init.restype = ctypes.c_void_p
    seccomp.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint,
                                               ctypes.POINTER(ArgumentTest)]
    seccomp.seccomp_load.argtypes = seccomp.seccomp_release.argtypes = [ctypes.c_void_p]
    context = seccomp.seccomp_init(ALLOW)
    try:
        number = seccomp.seccomp_syscall_resolve_name
        for family in (socket.AF_INET, socket.AF_INET6):
            test = ArgumentTest(0, EQUAL, family, 0)
            if seccomp.seccomp_rule_add_array(context, refuse(errno.EACCES), number(b"socket"), 1, ctypes.byref(test)):
                return "network: not cut here (libseccomp refused the rule)"
        if number(b"io_uring_setup") >= 0:
            seccomp.seccomp_rule_add_array(context, refuse(errno.ENOSYS), number(b"io_uring_setup"), 0, None)
        if seccomp.seccomp_load(context) != 0:
            return "network: not cut here (the filter could not be loaded)"
    finally:
        seccomp.seccomp_release(context)
    return "network: IP sockets refused (seccomp)"
