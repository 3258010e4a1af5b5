"""Which machine a test needs, kept apart from conftest so that a test needing only the sandbox
starts without the kit's heavier imports (the cgroup-v2 machine runs it under emulation).

CI sets REQUIRE_SANDBOX=1 (and the virtual machine's ordinary user REQUIRE_CGROUPS=1), so that a
machine without what the tests need fails them instead of skipping them."""

import os

import pytest

from autograder.sandbox import confinement

REQUIRED = bool(os.environ.get("REQUIRE_SANDBOX"))
DEFENCES = confinement.defences()
CGROUPS = all(usable for name, usable in DEFENCES.items() if name.startswith("cgroup "))
needs_sandbox = pytest.mark.skipif(not DEFENCES["bubblewrap sandbox"] and not REQUIRED,
                                   reason="needs bubblewrap and unprivileged user namespaces")
needs_cgroups = pytest.mark.skipif(
    not CGROUPS and not (REQUIRED and os.geteuid() == 0) and not os.environ.get("REQUIRE_CGROUPS"),
    reason="cgroup limits need root, or a cgroup v2 of the grader's own (delegated), with memory, pids and cpuset")
