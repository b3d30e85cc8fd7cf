import { api, ApiError, listAll, SendKey } from "../api.js";
import { formatDateTime, formatNumber, t } from "../i18n.js";
import { showFormErrors, upload, wordsCount } from "../student.js";
import "../strings/student.js";
import { askToSignIn, clearErrors, clone, field, fill, pageError, start } from "../ui.js";

const form = document.getElementById("entry-form");
const contestSelect = document.getElementById("contest");
const categorySelect = document.getElementById("category");
const body = document.getElementById("body");
const counter = document.getElementById("word-count");
const attachment = document.getElementById("attachment");
const progress = document.getElementById("progress");
const progressText = document.getElementById("progress-text");
const notice = document.getElementById("notice");
const TEXT_FIELDS = ["title", "book_title", "book_author", "book_publisher", "book_year", "book_isbn"];
const EXTENSIONS = { pdf: ".pdf", docx: ".docx", jpeg: ".jpg,.jpeg", png: ".png" };
const HOSTS = { youtube: "YouTube", facebook: "Facebook", tiktok: "TikTok", google_drive: "Google Drive" };

const contests = new Map(); // id -> the contest with its categories
let editing = null; // the entry being edited, or null when sending a new one

async function contestGet(id) {
  if (!contests.has(id)) contests.set(id, await api(`/api/contests/${id}/`));
  return contests.get(id);
}

// The server's clock decides; this only warns before the student types a whole essay.
function window_(contest) {
  const now = Date.now();
  if (contest.status !== "open") return "closed";
  if (now < new Date(contest.submission_opens_at)) return "not_yet";
  if (now >= new Date(contest.submission_closes_at)) return "passed";
  return "open";
}

// A notice goes where the person is looking: under the button they pressed (sending), or
// above the list they acted on (withdrawing).
function say(message, near = null) {
  if (near) near.after(notice);
  notice.textContent = message;
  notice.hidden = !message;
}

// Quota and eligibility, from the server (GET /api/me/eligibility/), said as soon as a category
// is chosen: before anything is typed.
const eligibility = new Map(); // contest id -> its answer

async function eligibilityGet(contestId) {
  if (!eligibility.has(contestId)) {
    eligibility.set(contestId, await api("/api/me/eligibility/", { query: { contest: contestId } }));
  }
  return eligibility.get(contestId);
}

async function showQuota() {
  const line = document.getElementById("quota");
  const contest = currentContest();
  const category = currentCategory();
  line.hidden = true;
  if (!contest || !category || editing) return;
  const answer = await eligibilityGet(contest.id);
  // Chosen again meanwhile (compared by id: the contest may have been read again, a new object).
  if (String(currentCategory()?.id) !== String(category.id)) return;
  const quota = answer.categories.find((c) => c.category === category.id);
  let message;
  if (!answer.has_library) message = t("student_quota_no_library");
  else if (!answer.library_takes_part) message = t("student_quota_library_out");
  else if (!answer.accepts_entries) message = t("student_contest_closed");
  else if (!quota.can_send) {
    message = t("student_quota_full", { max: quota.max_entries, codes: quota.codes.join(", ") });
  } else if (quota.used) {
    message = t("student_quota_left", {
      left: quota.max_entries - quota.used,
      max: quota.max_entries,
      codes: quota.codes.join(", "),
    });
  } else message = t("student_quota_none_yet", { max: quota.max_entries });
  line.textContent = message;
  line.classList.toggle("warning", !quota?.can_send);
  line.hidden = false;
}

function option(value, label) {
  const element = document.createElement("option");
  element.value = value;
  element.textContent = label;
  return element;
}

function currentContest() {
  return contests.get(Number(contestSelect.value)) ?? null;
}

function currentCategory() {
  const contest = currentContest();
  return contest?.categories.find((category) => String(category.id) === categorySelect.value) ?? null;
}

function showDeadline(contest) {
  const line = document.getElementById("contest-deadline");
  const state = window_(contest);
  line.classList.toggle("warning", state !== "open");
  line.textContent = {
    open: t("student_deadline", { date: formatDateTime(contest.submission_closes_at) }),
    passed: t("student_deadline_passed", { date: formatDateTime(contest.submission_closes_at) }),
    not_yet: t("student_not_open_yet", { date: formatDateTime(contest.submission_opens_at) }),
    closed: t("student_contest_closed"),
  }[state];
}

function rule(text) {
  const item = clone("rule-item");
  item.textContent = text;
  return item;
}

function showRules(category) {
  const rules = [rule(t("student_rule_formats", { list: category.formats.map((f) => t(`format_${f}`)).join(", ") }))];
  if (category.formats.includes("text")) {
    rules.push(rule(t("student_rule_words", { count: formatNumber(category.max_words, 0) })));
  }
  if (category.formats.includes("file")) {
    const types = category.allowed_file_types.map((type) => type.toUpperCase()).join(", ");
    rules.push(rule(t("student_rule_files", { types, mb: category.max_file_mb })));
  }
  if (category.formats.includes("video")) {
    const hosts = category.allowed_video_hosts.map((host) => HOSTS[host] ?? host).join(", ");
    rules.push(rule(t("student_rule_videos", { hosts })));
  }
  rules.push(rule(t("student_rule_entries", { count: category.max_entries_per_entrant })));
  document.getElementById("rules-list").replaceChildren(...rules);
  document.getElementById("rules").hidden = false;
}

function countWords() {
  const category = currentCategory();
  if (!category) return;
  const count = wordsCount(body.value);
  const limit = category.max_words;
  const over = count > limit;
  // The count itself is not read out at every keystroke; crossing the limit is.
  if (over !== counter.classList.contains("over")) {
    document.getElementById("word-alert").textContent = over ? t("student_words_over_alert", { limit: formatNumber(limit, 0) }) : "";
  }
  counter.classList.toggle("over", over);
  counter.textContent = t(over ? "student_words_over" : "student_words", {
    count: formatNumber(count, 0),
    limit: formatNumber(limit, 0),
    over: formatNumber(count - limit, 0),
  });
}

function showCategory() {
  const category = currentCategory();
  document.getElementById("content").hidden = !category;
  document.getElementById("rules").hidden = !category;
  if (!category) return;
  showRules(category);
  document.getElementById("body-part").hidden = !category.formats.includes("text");
  document.getElementById("file-part").hidden = !category.formats.includes("file");
  document.getElementById("video-part").hidden = !category.formats.includes("video");
  attachment.accept = category.allowed_file_types.map((type) => EXTENSIONS[type] ?? "").join(",");
  countWords();
  fileCheck();
  showQuota().catch((error) => pageError(error.message));
}

function showContest() {
  const contest = currentContest();
  categorySelect.replaceChildren(option("", t("student_choose")));
  if (!contest) return showCategory();
  showDeadline(contest);
  categorySelect.append(...contest.categories.map((category) => option(category.id, category.name)));
  if (contest.categories.length === 1) categorySelect.value = String(contest.categories[0].id);
  showCategory();
}

function progressShow(fraction) {
  const percent = Math.round(fraction * 100);
  progress.value = percent;
  progressText.textContent = `${percent}%`;
}

function contentClear() {
  for (const name of [...TEXT_FIELDS, "body", "video_url"]) form.elements[name].value = "";
  attachment.value = "";
  document.getElementById("attachment-current").hidden = true;
  document.getElementById("book-more").open = false;
  countWords();
}

function editStop() {
  editing = null;
  contestSelect.disabled = categorySelect.disabled = false;
  document.getElementById("submit-heading").textContent = t("student_submit_heading");
  document.getElementById("send").textContent = t("student_submit_button");
  document.getElementById("cancel-edit").hidden = true;
  clearErrors(form);
  contentClear();
}

async function editStart(entry) {
  await contestGet(entry.contest);
  editing = entry;
  if (![...contestSelect.options].some((o) => o.value === String(entry.contest))) {
    contestSelect.append(option(entry.contest, entry.contest_title));
  }
  contestSelect.value = String(entry.contest);
  showContest();
  categorySelect.value = String(entry.category);
  showCategory();
  contestSelect.disabled = categorySelect.disabled = true; // an entry stays in its category
  clearErrors(form);
  for (const name of TEXT_FIELDS) form.elements[name].value = entry[name] ?? "";
  body.value = entry.body ?? "";
  form.elements.video_url.value = entry.video_url ?? "";
  attachment.value = "";
  const current = document.getElementById("attachment-current");
  current.hidden = !entry.attachment_name;
  current.textContent = entry.attachment_name ? t("student_attachment_current", { name: entry.attachment_name }) : "";
  document.getElementById("book-more").open = Boolean(entry.book_publisher || entry.book_year || entry.book_isbn);
  document.getElementById("progress-box").hidden = true;
  countWords();
  document.getElementById("submit-heading").textContent = t("student_edit_heading", { code: entry.code });
  document.getElementById("send").textContent = t("student_save_button");
  document.getElementById("cancel-edit").hidden = false;
  document.getElementById("submit-section").hidden = false;
  document.getElementById("no-open-contest").hidden = true;
  form.hidden = false;
  document.getElementById("submit-heading").scrollIntoView();
  form.elements.title.focus();
}

// The server refuses a file over the category's size; saying so before sending spares the wait.
function fileTooBig(category) {
  const file = attachment.files[0];
  if (!file || !category?.formats.includes("file") || file.size <= category.max_file_mb * 1048576) return null;
  return t("student_file_too_big", { size: (file.size / 1048576).toFixed(1), limit: category.max_file_mb });
}

function fileCheck() {
  const slot = form.querySelector('[data-error-for="attachment"]');
  const problem = fileTooBig(currentCategory());
  slot.textContent = problem ?? "";
  slot.hidden = !problem;
  if (problem) attachment.setAttribute("aria-invalid", "true");
  else attachment.removeAttribute("aria-invalid");
  return problem;
}

function formData(category) {
  const data = new FormData();
  if (!editing) data.append("category", categorySelect.value);
  for (const name of TEXT_FIELDS) data.append(name, form.elements[name].value);
  if (category.formats.includes("text")) data.append("body", body.value);
  if (category.formats.includes("video")) data.append("video_url", form.elements.video_url.value);
  if (category.formats.includes("file") && attachment.files.length) data.append("attachment", attachment.files[0]);
  return data;
}

// A new entry sent again after its answer was lost must not become a second entry.
const sendKey = new SendKey();
form.addEventListener("input", () => sendKey.forget());
form.addEventListener("change", () => sendKey.forget());

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(form);
  say("");
  const contest = currentContest();
  const category = currentCategory();
  if (!contest || !category) {
    showFormErrors(form, new ApiError(400, { [contest ? "category" : "contest"]: [t("field_required")] }));
    return;
  }
  if (fileCheck()) {
    attachment.focus();
    return;
  }
  const data = formData(category);
  const sending = data.has("attachment");
  document.getElementById("progress-box").hidden = !sending;
  if (sending) progressShow(0);
  const button = document.getElementById("send");
  button.disabled = true;
  const label = button.textContent;
  button.textContent = t("student_sending");
  try {
    const entry = editing
      ? await upload(`/api/entries/${editing.id}/`, { method: "PATCH", body: data, onProgress: progressShow })
      : await upload(`/api/contests/${contest.id}/entries/`, {
          body: data,
          headers: { "Idempotency-Key": sendKey.get() },
          onProgress: progressShow,
        });
    sendKey.settle();
    const message = t(editing ? "student_saved" : "student_submitted", { code: entry.code });
    eligibility.delete(contest.id);
    if (editing) editStop();
    else contentClear();
    say(message, form.querySelector(".buttons"));
    showQuota().catch(() => {});
    await entriesShow();
  } catch (error) {
    sendKey.settle(error);
    showFormErrors(form, error);
    if (error.code === "submissions_closed" && !editing) {
      // The contest as it is now, so that the deadline line says it has closed.
      api(`/api/contests/${contest.id}/`)
        .then((fresh) => {
          contests.set(fresh.id, fresh);
          if (contestSelect.value === String(fresh.id)) showDeadline(fresh);
        })
        .catch(() => {});
    }
  } finally {
    button.disabled = false;
    if (button.textContent === t("student_sending")) button.textContent = label;
  }
});

document.getElementById("cancel-edit").addEventListener("click", () => {
  editStop();
  showContest();
  contestSelect.focus();
});
contestSelect.addEventListener("change", showContest);
categorySelect.addEventListener("change", showCategory);
body.addEventListener("input", countWords);
attachment.addEventListener("change", fileCheck);

function withdrawAsk(entry) {
  const dialog = document.getElementById("withdraw-dialog");
  document.getElementById("withdraw-text").textContent = t("student_withdraw_confirm", { code: entry.code });
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "yes"), { once: true });
    dialog.returnValue = "";
    dialog.showModal();
  });
}

function rowError(row, error) {
  const slot = field(row, "row-error");
  slot.textContent = error?.message ?? "";
  slot.hidden = !error;
}

function locked(entry) {
  // The server says whether the entrant may still edit; a deadline passed since the list was
  // loaded is caught by the contest's own time too (and the server refuses either way).
  const contest = contests.get(entry.contest);
  return !entry.editable || (contest && window_(contest) !== "open");
}

function entryRow(entry) {
  const row = clone("entry-row");
  row.dataset.entry = entry.id;
  fill(row, {
    code: entry.code,
    contest: entry.contest_title,
    category: entry.category_name,
    title: entry.title,
    book: `${entry.book_title} — ${entry.book_author}`,
    status: t(`student_entry_status_${entry.status}`),
    // A child's entry held from judging until a guardian agrees: the server says why, in the page's language.
    reason:
      waiting.get(entry.id) ??
      (entry.disqualification_reason
        ? t("student_disqualified_reason", { reason: entry.disqualification_reason })
        : ""),
    created: formatDateTime(entry.created_at),
  });
  field(row, "status").dataset.status = entry.status;
  // On a phone each row becomes a card whose cells carry their column's name (student.css).
  const headings = [...document.querySelectorAll("#entries thead th")].map((th) => th.textContent);
  [...row.children].forEach((cell, index) => {
    cell.dataset.label = headings[index];
  });
  field(row, "created").setAttribute("datetime", entry.created_at);
  const file = field(row, "file");
  if (entry.attachment) {
    file.href = entry.attachment;
    file.textContent = t("student_file", { name: entry.attachment_name });
    file.hidden = false;
  } else {
    file.remove();
  }
  const video = field(row, "video");
  if (entry.video_url) {
    video.href = entry.video_url;
    video.hidden = false;
  } else {
    video.remove();
  }
  const error = document.createElement("p");
  error.className = "error";
  error.dataset.field = "row-error";
  error.setAttribute("role", "alert");
  error.hidden = true;
  row.querySelector(".actions").append(error);
  const edit = row.querySelector('[data-action="edit"]');
  const withdraw = row.querySelector('[data-action="withdraw"]');
  if (entry.status !== "submitted" || locked(entry)) {
    edit.remove();
    withdraw.remove();
  }
  if (entry.status === "submitted") {
    if (locked(entry)) {
      field(row, "locked").textContent = t("student_locked");
    } else {
      edit.hidden = withdraw.hidden = false;
      edit.setAttribute("aria-label", t("student_edit_label", { code: entry.code }));
      withdraw.setAttribute("aria-label", t("student_withdraw_label", { code: entry.code }));
      edit.addEventListener("click", () => editStart(entry).catch((e) => rowError(row, e)));
      withdraw.addEventListener("click", async () => {
        rowError(row, null);
        if (!(await withdrawAsk(entry))) return withdraw.focus();
        try {
          await api(`/api/entries/${entry.id}/`, { method: "DELETE" });
          if (editing?.id === entry.id) editStop();
          eligibility.delete(entry.contest);
          say(t("student_withdrawn", { code: entry.code }), document.getElementById("list-heading"));
          showQuota().catch(() => {});
          await entriesShow();
        } catch (e) {
          rowError(row, e);
          withdraw.focus();
        }
      });
    }
  }
  return row;
}

let waiting = new Map(); // entry id -> why it waits (GET /api/privacy/me/)

async function entriesShow() {
  const [entries, privacy] = await Promise.all([listAll("/api/entries/"), api("/api/privacy/me/")]);
  waiting = new Map(privacy.waiting.map((held) => [held.entry, held.reason]));
  await Promise.all([...new Set(entries.map((entry) => entry.contest))].map(contestGet));
  document.querySelector("#entries tbody").replaceChildren(...entries.map(entryRow));
  document.getElementById("entries-wrap").hidden = entries.length === 0;
  document.getElementById("list-empty").hidden = entries.length > 0;
  document.getElementById("list-section").hidden = false;
}

async function contestsShow() {
  const open = await listAll("/api/contests/", { status: "open", ordering: "submission_closes_at" });
  for (const contest of open) contests.set(contest.id, contest);
  const wanted = Number(new URLSearchParams(window.location.search).get("contest")) || null;
  const shown = [...open];
  if (wanted && !open.some((contest) => contest.id === wanted)) {
    try {
      shown.push(await contestGet(wanted)); // a closed one: the page says so, the server refuses
    } catch {
      // an unknown contest id: the open ones stay on offer
    }
  }
  document.getElementById("submit-section").hidden = false;
  if (!shown.length) {
    document.getElementById("no-open-contest").hidden = false;
    form.hidden = true;
    return;
  }
  contestSelect.replaceChildren(...shown.map((contest) => option(contest.id, contest.title)));
  contestSelect.value = String(wanted && shown.some((c) => c.id === wanted) ? wanted : shown[0].id);
  showContest();
}

// How each entry fared, once its contest's results are out (GET /api/me/outcomes/).
function outcomeCard(outcome) {
  const card = fill(clone("outcome-card"), {
    code: outcome.code,
    contest: outcome.contest_title,
    reached: outcome.round_reached
      ? t("student_outcome_reached", { round: outcome.round_reached.name })
      : t("student_outcome_not_ranked"),
  });
  card.dataset.entry = outcome.entry;
  const prizes = field(card, "prizes");
  prizes.textContent = t("student_outcome_prizes", { list: outcome.prizes.join(", ") });
  prizes.hidden = !outcome.prizes.length;
  const certificates = field(card, "certificates");
  for (const certificate of outcome.certificates) {
    const link = document.createElement("a");
    link.href = `/api/certificates/${certificate.id}/pdf/`;
    link.textContent = t("student_outcome_certificate", { award: certificate.award, code: certificate.code });
    certificates.append(link, " ");
  }
  certificates.hidden = !outcome.certificates.length;
  field(card, "comments").replaceChildren(
    ...outcome.comments.map((comment) => {
      const item = document.createElement("li");
      const round = document.createElement("span");
      round.className = "meta";
      round.textContent = `${comment.round_name}: `;
      item.append(round, comment.comment);
      return item;
    }),
  );
  field(card, "comments-box").hidden = !outcome.comments.length;
  const none = field(card, "no-comments");
  none.textContent = t(outcome.comments_released ? "student_outcome_no_comments" : "student_outcome_comments_later");
  none.hidden = outcome.comments.length > 0;
  return card;
}

async function outcomesShow() {
  const outcomes = await api("/api/me/outcomes/");
  document.getElementById("outcomes").replaceChildren(...outcomes.map(outcomeCard));
  document.getElementById("outcomes-section").hidden = outcomes.length === 0;
}

start({ title: "student_entries_title" }).then(async (me) => {
  if (!me) {
    askToSignIn("sign-in-first"); // back to this page, ?contest= kept
    return;
  }
  try {
    await Promise.all([contestsShow(), entriesShow(), outcomesShow()]);
  } catch (error) {
    pageError(error.message);
  }
});
