// The viva page's one script: it sends the grader's decisions to the server and moves between
// groups by keyboard. It never inserts a student's text: the server renders answers, escaped.
"use strict";
const token = document.querySelector('meta[name="viva-token"]').content;
const main = document.querySelector("main[data-question]");

async function change(action, body) {
  const response = await fetch(`/api/${action}`, {
    method: "POST", headers: {"Content-Type": "application/json", "X-Viva-Token": token},
    body: JSON.stringify({question: main.dataset.question, ...body}),
  });
  if (!response.ok) throw new Error(`${action}: ${response.status} ${await response.text()}`);
  return response.json();
}

function say(text) {  // a message for the grader, kept across the reload that shows the new state
  sessionStorage.setItem("viva-said", text);
}

function reloadSaying(text) {
  if (text) say(text);
  location.reload();
}

function describe(kept) {
  const names = Object.entries(kept).map(([student, [score, comment]]) =>
    `${student} (${score === null ? "not graded" : score}${comment ? ", " + comment : ""})`);
  return names.length ? `Kept, as graded on their own: ${names.join("; ")}.` : "";
}

function gradeGroup(section) {
  const form = section.querySelector("form.rubric");
  const items = [...form.querySelectorAll('input[name="item"]')].map(box => box.checked);
  return change("grade-group", {
    group: section.dataset.group, items, comment: form.comment.value,
    seen_items: JSON.parse(section.dataset.seenItems), seen_comment: section.dataset.seenComment,
  }).then(said => reloadSaying(said.stale
    ? "Another tab or grader changed this group since you opened it: this page now shows their decision. Nothing was written."
    : `Graded ${said.written.length} answer(s). ${describe(said.kept)}`));
}

function gradeOwn(article, form) {
  const score = form.score.value === "" ? null : Number(form.score.value);
  return change("grade-student", {
    student: article.dataset.student, score, comment: form.comment.value,
    seen_score: article.dataset.score === "" ? null : Number(article.dataset.score),
    seen_comment: article.dataset.comment,
  }).then(said => reloadSaying(said.conflict
    ? `${article.dataset.student}'s grade had changed to ${said.conflict[0]} since you opened this page: nothing was written.`
    : `${article.dataset.student} graded on their own.`));
}

function seenMark(article) {
  return [article.dataset.score === "" ? null : Number(article.dataset.score), article.dataset.comment];
}

function move(articles, to, done, keepOwn = false) {  // to: a group's key, or null for a group of their own
  const seen = Object.fromEntries(articles.map(article => [article.dataset.student, seenMark(article)]));
  return change("move", {students: Object.keys(seen), to, seen, keep_own: keepOwn}).then(said => {
    const changed = Object.keys(said.conflicts);
    reloadSaying(changed.length
      ? `${done} These marks had changed since you opened the page and were left as they are: ${changed.join(", ")}.`
      : done);
  });
}

if (main) {
  for (const section of document.querySelectorAll("section.group")) {
    section.querySelector("form.rubric").addEventListener("submit", event => {
      event.preventDefault();
      gradeGroup(section).catch(error => alert(error.message));
    });
  }
  for (const article of document.querySelectorAll("article.member")) {
    const form = article.querySelector("form.own-grade");
    form.addEventListener("submit", event => {
      event.preventDefault();
      gradeOwn(article, form).catch(error => alert(error.message));
    });
    form.to.addEventListener("change", () => form.to.value &&
      move([article], form.to.value === "new" ? null : form.to.value, `${article.dataset.student} moved.`)
        .catch(error => alert(error.message)));
  }
  for (const section of document.querySelectorAll("section.group")) {  // merge: another group's answers join this one
    const into = section.querySelector("select.merge");
    into.addEventListener("change", () => {
      const other = document.getElementById(into.value);
      if (other) move([...other.querySelectorAll("article.member")], section.dataset.group,
                      "Groups merged (answers graded on their own keep their grade).", true)
        .catch(error => alert(error.message));
    });
  }
  const groups = [...document.querySelectorAll("section.group")];
  let current = groups.findIndex(section => section.querySelector(".todo"));
  const focus = index => { current = Math.max(0, Math.min(groups.length - 1, index)); groups[current].focus(); };
  if (groups.length) focus(current < 0 ? 0 : current);
  document.addEventListener("keydown", event => {
    if (event.target.matches("input, textarea, select") || !groups.length) return;
    const section = groups[current];
    if (event.key === "j") focus(current + 1);
    else if (event.key === "k") focus(current - 1);
    else if (event.key === "o") section.querySelector("details.members").toggleAttribute("open");
    else if (event.key === "Enter") gradeGroup(section).catch(error => alert(error.message));
    else if (/^[1-9]$/.test(event.key)) {
      const box = section.querySelectorAll('input[name="item"]')[Number(event.key) - 1];
      if (box) box.checked = !box.checked;
    } else return;
    event.preventDefault();
  });
}

const said = sessionStorage.getItem("viva-said");
if (said) {
  sessionStorage.removeItem("viva-said");
  const banner = document.getElementById("said");
  banner.textContent = said;
  banner.hidden = false;
}
