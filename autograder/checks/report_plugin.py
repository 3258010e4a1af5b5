"""A pytest plugin that turns the checks' reports into a JSON list (`-p autograder.checks.report_plugin`).

A failure's message is the assertion's own text, never the test's code or traceback,
so feedback cannot reveal how a hidden check works.
"""

import json

import pytest

UNREADABLE = "The grader could not check this part of the run ({}): ask your instructor to look at it."


def pytest_addoption(parser):
    parser.addoption("--outcomes-json", help="where to write the checks' outcomes")


def pytest_collection_modifyitems(items):
    for item in items:
        marker = item.get_closest_marker("points")
        cell, points = marker.args if marker else (None, 0)
        item.user_properties += [("cell", cell), ("points", points)]


class OutcomeCollector:
    def __init__(self, path: str):
        self.path, self.results = path, {}

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report):
        if report.when == "call" or report.failed:
            properties = dict(report.user_properties)
            previous = self.results.get(report.nodeid)
            if previous and not previous["passed"]:
                return  # keep the first failure (setup) over later phases
            self.results[report.nodeid] = {
                "check": report.nodeid.split("::")[-1], "cell": properties.get("cell"),
                "points": properties.get("points", 0), "passed": report.passed, "message": message(report)}

    @pytest.hookimpl
    def pytest_sessionfinish(self):
        with open(self.path, "w") as out:
            json.dump(list(self.results.values()), out, indent=1)


def message(report) -> str:
    if report.passed:
        return ""
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash else str(report.longrepr).splitlines()[-1]
    if text.startswith("AssertionError: "):
        return text[len("AssertionError: "):].split("\nassert ")[0].strip()
    return UNREADABLE.format(text.split(":")[0])


def pytest_configure(config):
    path = config.getoption("--outcomes-json")
    if path:
        config.pluginmanager.register(OutcomeCollector(path), "autograder-collector")
