"""`python -m autograder viva [ASSIGNMENT]`: the viva grading page, served on 127.0.0.1 until Ctrl-C.

A page of its own rather than one inside the Jupyter server: it needs no server extension enabled
in whichever Jupyter the instructor runs (nor a restart of it), it starts from the course folder
like every other command of the kit, and it writes grades where formgrader does, so the two can be
open side by side."""

import asyncio
import socket

from rich.console import Console

from ..errors import KitError
from ..settings import Settings
from ..viva.server import application, new_token
from ..viva.session import open_session


def serve_viva(settings: Settings, port: int, console: Console) -> None:
    if not settings.source_notebook.is_file():
        raise KitError(f"There is no source notebook at {settings.source_notebook}: the viva page reads the "
                       "questions, model answers and rubrics from it.")
    session = open_session(settings)
    if not session.in_gradebook:
        raise KitError(f"The gradebook holds no submission of {settings.assignment} yet: grade the class first "
                       f"(`python -m autograder grade {settings.assignment}`), then open the viva page.")
    asyncio.run(serve(session, new_token(), port or free_port(), console))


async def serve(session, token: str, port: int, console: Console) -> None:
    application(session, token, port).listen(port, address="127.0.0.1")
    console.print(f"Viva grading for {session.settings.assignment}, {len(session.in_gradebook)} students. Open:\n"
                  f"  http://127.0.0.1:{port}/?token={token}\n(Ctrl-C stops the page; every grade is already saved.)")
    await asyncio.Event().wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
