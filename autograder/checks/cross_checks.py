"""What the checks that compare the notebook's own run with the probes share."""


def comparable(record: dict, what: str) -> dict:
    """The notebook run's record, to compare `what` with the probes: a run that left a record the
    grader refused cannot show it did as probed, and the comparison fails."""
    assert "refused" not in record, (f"the notebook's own run left a record the grader refused ({record['refused']}), "
                                     f"so {what} cannot be compared with what the grader saw when it called your function")
    return record
