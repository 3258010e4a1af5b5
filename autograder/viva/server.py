"""The viva page's server: on 127.0.0.1 only, behind a token as Jupyter's is, so that another user of
a shared machine can neither read the answers nor write grades.

The token comes in the printed URL once; the server answers with a cookie (HttpOnly, SameSite=Strict)
and the page's address without it. Every request needs that cookie and a Host of this server (a
page elsewhere cannot reach it by a rebound DNS name); every change needs the token in a header
too, which only the page's own script sends. Pages carry a Content-Security-Policy header: the
page's one script, no other, nothing framed, nothing fetched from elsewhere.
"""

import hmac
import json
import secrets
from pathlib import Path

from jinja2 import Environment, PackageLoader
from tornado.web import Application, HTTPError, RequestHandler, StaticFileHandler

from .answer_text import answer_html
from .gradebook_grades import Mark
from .group_grading import grade_group, grade_student, join_group, score_of
from .session import Session

COOKIE = "viva_token"
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
                           "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


class Page(RequestHandler):
    def initialize(self, session: Session, token: str, port: int, templates: Environment):
        self.session, self.token, self.port, self.templates = session, token, port, templates

    def set_default_headers(self):
        self.set_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Cache-Control", "no-store")

    def prepare(self):
        if self.request.host not in (f"127.0.0.1:{self.port}", f"localhost:{self.port}"):
            raise HTTPError(403, "this page is served to 127.0.0.1 only")
        offered = self.get_query_argument("token", "")
        if offered and hmac.compare_digest(offered, self.token):
            self.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict", path="/")
            self.redirect(self.request.path)
            return
        if not hmac.compare_digest(self.get_cookie(COOKIE, ""), self.token):
            raise HTTPError(403, "open the address `python -m autograder viva` printed (it holds the token)")

    def render_page(self, template: str, **context):
        self.finish(self.templates.get_template(template).render(token=self.token, **context))


class Index(Page):
    def get(self):
        questions = [(question, *self.session.progress(question.grade_id)) for question in self.session.questions]
        self.render_page("index.html.j2", questions=questions, pairs=len(self.session.copying()),
                         unreadable=self.session.answers.unreadable, assignment=self.session.settings.assignment)


class QuestionPage(Page):
    def get(self, grade_id: str):
        if grade_id not in {question.grade_id for question in self.session.questions}:
            raise HTTPError(404)
        groups, marks = self.session.groups(grade_id), self.session.marks(grade_id)
        self.session.save()  # newly computed groups are kept from their first showing
        answers = self.session.graded_answers(grade_id)
        self.render_page("question.html.j2", question=self.session.question(grade_id), groups=groups, marks=marks,
                         answers={student: answer_html(text) for student, text in answers.items()},
                         label_html={key: answer_html(group.label) for key, group in groups.groups.items()},
                         questions=self.session.questions)


class Copying(Page):
    def get(self):
        numbers = {question.number: question.grade_id for question in self.session.questions}
        answers = {number: self.session.graded_answers(grade_id) for number, grade_id in numbers.items()}
        self.render_page("copying.html.j2", pairs=self.session.copying(), answers=answers, html=answer_html,
                         threshold=self.session.settings.viva_copying_threshold)


class Change(Page):
    """POST /api/<action>, a JSON body; answers JSON. The token must come in X-Viva-Token as well."""

    def check_xsrf_cookie(self):  # the header below does that job
        pass

    def post(self, action: str):
        if not hmac.compare_digest(self.request.headers.get("X-Viva-Token", ""), self.token):
            raise HTTPError(403, "a change needs the page's token")
        body = json.loads(self.request.body or b"{}")
        grade_id = body.get("question")
        if grade_id not in {question.grade_id for question in self.session.questions}:
            raise HTTPError(404, "no such question")
        where, groups = self.session.where(grade_id), self.session.groups(grade_id)
        if action == "grade-group":
            outcome = grade_group(where, groups, body["group"], body["items"], body.get("comment", ""),
                                  body.get("seen_items"), body.get("seen_comment", ""))
            group = groups.groups[body["group"]]
            said = {"written": outcome.written, "stale": outcome.stale, "items": group.items, "comment": group.comment,
                    "kept": {student: [mark.score, mark.comment] for student, mark in outcome.kept.items()}}
        elif action == "grade-student":
            conflict = grade_student(where, groups, body["student"], Mark(body["score"], body.get("comment", "")),
                                     Mark(body.get("seen_score"), body.get("seen_comment", "")))
            said = {"conflict": None if conflict is None else [conflict.current.score, conflict.current.comment]}
        elif action == "move":
            seen = {student: Mark(*mark) for student, mark in body.get("seen", {}).items()}
            key, conflicts = join_group(where, groups, body["students"], body.get("to"), seen, body.get("label", ""),
                                        keep_own=bool(body.get("keep_own")))
            said = {"group": key, "conflicts": {c.student: [c.current.score, c.current.comment] for c in conflicts}}
        else:
            raise HTTPError(404)
        self.session.save()
        self.finish(said)


def application(session: Session, token: str, port: int) -> Application:
    templates = Environment(loader=PackageLoader("autograder.viva"), autoescape=True)
    templates.globals["score_of"] = score_of
    shared = {"session": session, "token": token, "port": port, "templates": templates}
    return Application([
        (r"/", Index, shared),
        (r"/q/([A-Za-z0-9_]+)", QuestionPage, shared),
        (r"/copying", Copying, shared),
        (r"/api/([a-z-]+)", Change, shared),
    ], static_path=str(Path(__file__).with_name("static")), static_handler_class=Static)


class Static(StaticFileHandler):
    def set_default_headers(self):
        self.set_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.set_header("X-Content-Type-Options", "nosniff")


def new_token() -> str:
    return secrets.token_urlsafe(32)
