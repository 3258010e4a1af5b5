"""The run's code opens no socket, whatever the sandbox: the harness's seccomp filter
(sandbox/inside/no_network.py), inherited by every process the run starts."""

import subprocess
import sys

from autograder.sandbox.inside import no_network

TRIES = """
import os, socket, sys
sys.path.insert(0, sys.argv[1])
from no_network import cut_network
print(cut_network())
for family in (socket.AF_INET, socket.AF_INET6, socket.AF_UNIX, socket.AF_NETLINK):
    try:
        socket.socket(family).close()
        print("made", family.name)
    except PermissionError:
        print("refused", family.name)
socket.socketpair()
print("a connected pair works", flush=True)
if os.fork() == 0:
    try:
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    except PermissionError:
        print("refused in a child", flush=True)
    except OSError:
        print("a child reached the network stack", flush=True)
    os._exit(0)
os.wait()
"""


def test_every_socket_is_refused_to_the_run_and_its_children_a_connected_pair_is_not():
    folder = str(no_network.__file__).rsplit("/", 1)[0]
    done = subprocess.run([sys.executable, "-I", "-c", TRIES, folder], capture_output=True, text=True, timeout=60)
    assert done.stdout.splitlines() == ["network: no socket may be opened (seccomp)", "refused AF_INET",
                                        "refused AF_INET6", "refused AF_UNIX", "refused AF_NETLINK",
                                        "a connected pair works", "refused in a child"], done.stdout + done.stderr
