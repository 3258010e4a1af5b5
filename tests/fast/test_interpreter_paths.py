"""What a run binds of the interpreter (sandbox/runner.py: interpreter, link_folders): every folder
its `python` is reached through, however the links run, so a venv works wherever it lives."""

import os
import sys
from pathlib import Path

from autograder.sandbox import runner
from autograder.sandbox.confinement import SYSTEM_TOPS


def test_a_chain_of_links_gives_every_folder_it_passes_through(tmp_path):
    real = tmp_path / "opt" / "python-3.11.7" / "bin"
    real.mkdir(parents=True)
    (real / "python3.11").write_text("")
    (tmp_path / "opt" / "current").symlink_to("python-3.11.7")  # a folder that is a link
    venv_bin = tmp_path / "course" / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "python3.11").symlink_to(tmp_path / "opt" / "current" / "bin" / "python3.11")
    (venv_bin / "python").symlink_to("python3.11")
    assert runner.link_folders(venv_bin / "python") == [venv_bin, venv_bin, tmp_path / "opt" / "current" / "bin"]


def test_the_venv_the_base_interpreter_and_the_venvs_home_are_bound_and_nothing_twice(tmp_path, monkeypatch):
    venv = tmp_path / "tmp" / "kit" / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    (venv / "pyvenv.cfg").write_text(f"home = {tmp_path / 'pyenv' / 'bin'}\ninclude-system-site-packages = false\n")
    monkeypatch.setattr(runner.sys, "prefix", str(venv))
    monkeypatch.setattr(runner.sys, "executable", str(venv / "bin" / "python"))
    bound = runner.interpreter()
    assert bound[0] == venv and tmp_path / "pyenv" / "bin" in bound
    assert Path(os.path.realpath(sys.base_prefix)) in bound or Path(sys.base_prefix).parts[1] in SYSTEM_TOPS
    assert not any(other in path.parents for path in bound for other in bound), bound
    assert not any(path.parts[1] in SYSTEM_TOPS for path in bound), bound
