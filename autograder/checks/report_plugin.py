"""A pytest plugin that turns the checks' reports into a JSON list (`-p autograder.checks.report_plugin`).

A failure's message is the assertion's own text, never the test's code or traceback,
so feedback cannot reveal how a hidden check works.
"""

import json
import os

import pytest

UNREADABLE = "The grader could not check this part of the run ({}): ask your instructor to look at it."


def pytest_addoption(parser):
    parser.addoption("--outcomes-json", help="the name of the file, in each run folder, for its checks' outcomes")


def pytest_collection_modifyitems(items):
    for item in items:
        marker = item.get_closest_marker("points")
        cell, points = marker.args if marker else (None, 0)
        item.user_properties += [("cell", cell), ("points", points)]


class OutcomeCollector:
    """Each run folder's outcomes, written into it: the checks of several runs share one session,
    each test parametrized by its run (conftest.py), the run's index in its node id."""

    def __init__(self, name: str, run_dirs: list[str]):
        self.name, self.run_dirs, self.results = name, run_dirs, {}

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report):
        if report.when == "call" or report.failed:
            properties = dict(report.user_properties)
            test, _, run = report.nodeid.split("::")[-1].partition("[")
            outcomes = self.results.setdefault(int(run.rstrip("]") or 0), {})
            previous = outcomes.get(test)
            if previous and not previous["passed"]:
                return  # keep the first failure (setup) over later phases
            outcomes[test] = {"check": test, "cell": properties.get("cell"), "points": properties.get("points", 0),
                              "passed": report.passed, "message": message(report)}

    @pytest.hookimpl
    def pytest_sessionfinish(self):
        for index, folder in enumerate(self.run_dirs):
            with open(os.path.join(folder, self.name), "w") as out:
                json.dump(list(self.results.get(index, {}).values()), out, indent=1)


def message(report) -> str:
    if report.passed:
        return ""
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash else str(report.longrepr).splitlines()[-1]
    if text.startswith("AssertionError: "):
        return text[len("AssertionError: "):].split("\nassert ")[0].strip()
    return UNREADABLE.format(text.split(":")[0])


def pytest_configure(config):
    name = config.getoption("--outcomes-json")
    if name:
        config.pluginmanager.register(OutcomeCollector(name, config.getoption("--run-dir")), "autograder-collector")
