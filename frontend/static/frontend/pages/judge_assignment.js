import "../strings/judge.js";
import { api, ApiError } from "../api.js";
import { formatNumber, formatTime, t } from "../i18n.js";
import { assignmentsAll } from "../judge.js";
import { askToSignIn, clearErrors, clone, field, fill, pageError, showErrors, start } from "../ui.js";

const id = document.body.dataset.assignmentId;
const form = document.getElementById("score-form");
const statusLine = document.getElementById("save-status");
const DEBOUNCE_MS = 800;

let criteria = []; // [{id, name, weight, max_score}] in the round's order
let state = "pending"; // pending | draft | submitted, as the server last said
let locked = false;
let timer = null;
let saving = Promise.resolve(true); // saves run one after the other, in the order they were made
let dirty = false;
const neighbours = { previous: null, next: null };

function markInput(criterion) {
  return form.elements[`mark-${criterion.id}`];
}

// A mark as typed, with a decimal comma (as Vietnamese writes 7,5) or a point; "" if empty. A
// text input, not type=number: Chromium's number input drops a comma typed in an English
// browser ("7,5" became 75).
function markText(criterion) {
  return markInput(criterion).value.trim().replace(",", ".");
}

// What the server computes (judging.services.marks_clean): the sum of weight x mark, over the
// marks that are valid (one out of range is shown as an error, not added).
function total() {
  let sum = 0;
  for (const criterion of criteria) {
    if (markText(criterion) !== "" && !invalidHere(criterion)) {
      sum += Number(criterion.weight) * Number(markText(criterion));
    }
  }
  return Math.round(sum * 10000) / 10000;
}

// The total names the marks still missing (or invalid), rather than a bare "0 / 300".
function showTotal() {
  document.getElementById("total").textContent = formatNumber(total(), 4);
  const missing = criteria.filter((c) => markText(c) === "" || invalidHere(c)).map((c) => c.name);
  document.getElementById("total-missing").textContent = missing.length
    ? `(${t("judge_total_missing", { names: missing.join(", ") })})`
    : "";
}

function marks() {
  const given = {};
  for (const criterion of criteria) {
    const value = markText(criterion);
    if (value !== "") given[criterion.id] = value;
  }
  return given;
}

function invalidHere(criterion) {
  const value = markText(criterion);
  if (value === "") return false;
  const number = Number(value);
  return !(number >= 0 && number <= Number(criterion.max_score) && Number.isInteger(number * 4));
}

// The server refuses every bad mark at once under "marks", and says by id which criteria each
// message is about under "criteria", one list per message (judging.services.marks_clean); its
// own check of a number comes as messages per criterion id ({"marks": {"12": [...]}}). A message
// about one criterion goes next to that criterion's input; one about several (the marks
// missing), or none, stays with the marks.
function placeMarkErrors(error) {
  if (!(error instanceof ApiError) || !error.body.marks) return error;
  const { marks: _marks, criteria: _about, ...fields } = error.fields;
  const general = [];
  const place = (ids, messages) => {
    const about = criteria.filter((c) => ids.map(String).includes(String(c.id)));
    if (about.length === 1) {
      const key = `mark-${about[0].id}`;
      fields[key] = [...(fields[key] ?? []), ...messages];
    } else {
      general.push(...messages);
    }
  };
  const { marks, criteria: ids } = error.body;
  if (Array.isArray(marks)) {
    const about = Array.isArray(ids) ? ids : [];
    marks.forEach((message, index) => place(Array.isArray(about[index]) ? about[index] : [], [String(message)]));
  } else if (typeof marks === "object") {
    for (const [id, messages] of Object.entries(marks)) place([id], [messages].flat().map(String));
  } else {
    general.push(String(marks));
  }
  if (general.length) fields.marks = general;
  error.fields = fields;
  return error;
}

function setStatus(text) {
  statusLine.textContent = text;
}

function showState(assignment) {
  state = assignment.state;
  const score = assignment.score;
  if (!score) {
    setStatus(t("judge_nothing_saved"));
  } else if (score.submitted) {
    setStatus(t("judge_saved_submitted", { time: formatTime(score.submitted_at) }));
  } else {
    setStatus(t("judge_saved_draft", { time: formatTime(score.updated_at) }));
  }
  document.getElementById("submitted-note").hidden = state !== "submitted" || locked;
  document.getElementById("submit").textContent = t(state === "submitted" ? "judge_resubmit" : "judge_submit");
}

function lock(message) {
  locked = true;
  clearTimeout(timer);
  dirty = false;
  for (const element of form.elements) element.disabled = true;
  document.getElementById("submit").hidden = true;
  document.getElementById("recuse").hidden = true;
  document.getElementById("submitted-note").hidden = true;
  const note = document.getElementById("closed-note");
  note.textContent = message;
  note.hidden = false;
}

// A save: a draft while the score is not submitted; once submitted, changes are submitted again
// (a draft would take the submitted score back, and the judge's progress with it).
function save({ submit = state === "submitted", auto = false } = {}) {
  clearTimeout(timer);
  timer = null;
  if (locked) return saving;
  const body = { marks: marks(), comment: form.elements.comment.value, submit };
  dirty = false;
  const run = async () => {
    setStatus(t("judge_saving"));
    try {
      const assignment = await api(`/api/assignments/${id}/score/`, { method: "PUT", body });
      clearErrors(form);
      showState(assignment);
      return true;
    } catch (error) {
      dirty = true;
      const focused = document.activeElement;
      showErrors(form, placeMarkErrors(error));
      if (auto && focused && focused !== document.body) focused.focus(); // an autosave never moves the caret
      setStatus(t("judge_not_saved"));
      if (error instanceof ApiError && error.code === "round_closed") lock(t("judge_round_closed"));
      return false;
    }
  };
  saving = saving.then(run);
  return saving;
}

function changed() {
  showTotal();
  if (locked) return;
  dirty = true;
  setStatus(t("judge_unsaved"));
  clearTimeout(timer);
  timer = setTimeout(() => save({ auto: true }), DEBOUNCE_MS);
}

async function go(url) {
  if (!url) return;
  if ((dirty || timer) && !locked) {
    const saved = await save({ auto: true });
    if (!saved) return; // the error is on the page; the marks would be lost
  } else {
    await saving;
  }
  window.location.assign(url);
}

function criterionField(criterion) {
  const element = clone("criterion-field");
  const key = `mark-${criterion.id}`;
  fill(element, {
    label: t("judge_criterion_label", { name: criterion.name, max: formatNumber(criterion.max_score) }),
    weight: t("judge_criterion_weight", { weight: formatNumber(criterion.weight) }),
  });
  const label = field(element, "label");
  label.htmlFor = key;
  field(element, "weight").id = `${key}-weight`;
  const input = element.querySelector("input");
  input.id = key;
  input.name = key;
  input.setAttribute("aria-describedby", `${key}-weight ${key}-error`);
  const error = element.querySelector(".error");
  error.id = `${key}-error`;
  error.dataset.errorFor = key;
  return element;
}

function showEntry(assignment) {
  const entry = assignment.entry;
  const article = document.getElementById("assignment");
  const code = t("judge_assignment_title", { code: entry.code });
  document.title = `${code} — ${t("site_name")}`;
  document.getElementById("entry-code").textContent = code;
  fill(article, {
    contest: assignment.contest_title,
    round: assignment.round_name,
    category: entry.category_name,
    title: entry.title,
    book_title: entry.book_title,
    book_author: entry.book_author,
    book_publisher: entry.book_publisher,
    book_year: entry.book_year,
    book_isbn: entry.book_isbn,
    word_count: entry.word_count ? formatNumber(entry.word_count, 0) : "",
  });
  // A book's detail the entrant left out is not shown as an empty line.
  for (const term of article.querySelectorAll("dt[data-when]")) {
    const empty = !field(article, term.dataset.when).textContent;
    term.hidden = empty;
    term.nextElementSibling.hidden = empty;
  }
  // What the organizers chose to pass on (a possible copy they looked at), if anything.
  const notes = document.getElementById("entry-notes");
  notes.querySelector("ul").replaceChildren(
    ...(assignment.notes ?? []).map((note) => {
      const item = document.createElement("li");
      item.textContent = note;
      return item;
    }),
  );
  notes.hidden = !assignment.notes?.length;
  const body = document.getElementById("entry-body");
  body.textContent = entry.body || t("judge_no_text");
  body.classList.toggle("empty", !entry.body);

  if (entry.attachment) {
    const type = (entry.attachment_type || "").toUpperCase();
    const link = document.getElementById("attachment-link");
    link.href = entry.attachment;
    if (entry.attachment_type === "pdf") {
      const frame = document.getElementById("attachment-frame");
      frame.title = t("judge_attachment_frame", { code: entry.code });
      frame.src = entry.attachment;
      frame.hidden = false;
      link.textContent = t("judge_attachment_open");
      link.target = "_blank";
      link.rel = "noopener";
    } else {
      link.textContent = t("judge_attachment_download", { type });
      link.setAttribute("download", "");
    }
    document.getElementById("attachment").hidden = false;
  }
  if (entry.video_url && /^https?:\/\//i.test(entry.video_url)) {
    document.getElementById("video-link").href = entry.video_url;
    document.getElementById("video-url").textContent = entry.video_url;
    document.getElementById("video").hidden = false;
  }
}

function showForm(assignment, judgingRound) {
  criteria = judgingRound.criteria;
  document.getElementById("criteria").replaceChildren(...criteria.map(criterionField));
  document.getElementById("scale").textContent = formatNumber(judgingRound.scale, 4);
  const score = assignment.score;
  if (score) {
    for (const criterion of criteria) {
      const mark = score.marks[criterion.id];
      markInput(criterion).value = mark === undefined ? "" : formatNumber(mark); // 7,5 in Vietnamese
    }
    form.elements.comment.value = score.comment;
  }
  showTotal();
  showState(assignment);
  if (!assignment.editable) {
    lock(t(judgingRound.status === "closed" ? "judge_round_closed" : "judge_read_only"));
  } else {
    document.getElementById("recuse").hidden = false;
  }
}

async function showNeighbours(assignment) {
  const queue = await assignmentsAll({ round: assignment.round });
  const index = queue.findIndex((a) => String(a.id) === String(id));
  if (index < 0) return;
  const url = (a) => (a ? `/judge/assignments/${a.id}/` : null);
  neighbours.previous = url(queue[index - 1]);
  // "Next" is the next entry still to mark (after this one, then from the top): the judge's
  // work, not the list's order. None left: the queue, which says the round is done.
  const after = [...queue.slice(index + 1), ...queue.slice(0, index)];
  const pending = after.find((a) => a.state !== "submitted" && a.editable);
  neighbours.next = pending ? url(pending) : null;
  document.getElementById("all-done").hidden = Boolean(pending) || !assignment.editable;
  for (const [name, href] of Object.entries(neighbours)) {
    const link = document.getElementById(name);
    link.hidden = !href;
    if (href) link.href = href;
  }
  document.getElementById("position").textContent = t("judge_position", { n: index + 1, total: queue.length });
}

function typing(target) {
  return Boolean(target.closest?.("input, textarea, select, [contenteditable]"));
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.shiftKey || event.defaultPrevented) return;
  let to;
  // Alt+arrows moves by word in a text box on a Mac: left alone there.
  const inText = event.target.closest?.("textarea");
  if (event.altKey && !inText && event.key === "ArrowRight") to = "next";
  else if (event.altKey && !inText && event.key === "ArrowLeft") to = "previous";
  else if (!event.altKey && !typing(event.target) && event.key.toLowerCase() === "n") to = "next";
  else if (!event.altKey && !typing(event.target) && event.key.toLowerCase() === "p") to = "previous";
  if (!to || !neighbours[to]) return;
  event.preventDefault();
  go(neighbours[to]);
});

for (const name of ["previous", "next"]) {
  document.getElementById(name).addEventListener("click", (event) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return; // a new tab
    event.preventDefault();
    go(neighbours[name]);
  });
}

window.addEventListener("beforeunload", (event) => {
  if ((dirty || timer) && !locked) event.preventDefault();
});

form.addEventListener("input", changed);
form.addEventListener("submit", (event) => {
  event.preventDefault();
  save({ submit: true });
});

const recuseForm = document.getElementById("recuse-form");
recuseForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(recuseForm);
  const reason = recuseForm.elements.reason.value.trim();
  if (!reason) {
    showErrors(recuseForm, new ApiError(400, { reason: [t("field_required")] }));
    return;
  }
  try {
    await api(`/api/assignments/${id}/recuse/`, { method: "POST", body: { reason } });
    lock(t("judge_recused"));
    window.location.assign(neighbours.next ?? "/judge/");
  } catch (error) {
    showErrors(recuseForm, error);
  }
});

async function main() {
  const me = await start();
  if (!me) {
    askToSignIn("signin-needed");
    return;
  }
  const assignment = await api(`/api/assignments/${id}/`);
  const judgingRound = await api(`/api/rounds/${assignment.round}/`);
  showEntry(assignment);
  showForm(assignment, judgingRound);
  document.getElementById("assignment").hidden = false;
  await showNeighbours(assignment);
}

main().catch((error) => pageError(error.status === 404 ? t("not_found") : error.message));
