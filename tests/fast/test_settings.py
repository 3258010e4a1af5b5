"""One typed settings object: defaults, then nbgrader_config.py, then environment, then command line."""

import shutil

from autograder.settings import Settings


def make_course(tmp_path, settings, line: str):
    shutil.copy(settings.course_root / "nbgrader_config.py", tmp_path)
    with open(tmp_path / "nbgrader_config.py", "a") as config:
        config.write(line + "\n")
    return tmp_path


def test_nbgrader_config_sets_the_kits_settings(tmp_path, settings):
    course = make_course(tmp_path, settings, 'c.Autograder.limits = {"wall_seconds": 77}')
    assert Settings(course_root=course).limits.wall_seconds == 77


def test_environment_overrides_nbgrader_config(tmp_path, settings, monkeypatch):
    course = make_course(tmp_path, settings, 'c.Autograder.notebook_timeout = 5')
    monkeypatch.setenv("AUTOGRADER_NOTEBOOK_TIMEOUT", "9")
    assert Settings(course_root=course).notebook_timeout == 9


def test_command_line_overrides_everything(tmp_path, settings, monkeypatch):
    course = make_course(tmp_path, settings, 'c.Autograder.notebook_timeout = 5')
    monkeypatch.setenv("AUTOGRADER_NOTEBOOK_TIMEOUT", "9")
    assert Settings(course_root=course, notebook_timeout=3).notebook_timeout == 3


def test_a_course_without_nbgrader_config_uses_the_defaults(tmp_path):
    assert Settings(course_root=tmp_path).limits.wall_seconds == 900


def test_the_course_is_the_current_folder_when_it_holds_nbgrader_config(tmp_path, settings, monkeypatch):
    course = make_course(tmp_path, settings, "")
    monkeypatch.delenv("AUTOGRADER_COURSE_ROOT", raising=False)
    monkeypatch.chdir(course)
    assert Settings().course_root == course


def test_elsewhere_the_course_is_the_kits_own(tmp_path, monkeypatch):
    from autograder.settings import KIT_ROOT

    monkeypatch.delenv("AUTOGRADER_COURSE_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    assert Settings().course_root == KIT_ROOT
