import "../strings/judge.js";
import { t } from "../i18n.js";
import { assignmentsAll } from "../judge.js";
import { askToSignIn, clearErrors, clone, field, fill, pageError, showErrors, start } from "../ui.js";

const form = document.getElementById("filters");
const selects = {
  scope: document.getElementById("scope"),
  round: document.getElementById("round"),
  category: document.getElementById("category"),
  state: document.getElementById("state"),
};
const groups = document.getElementById("groups");
let hadAny = false; // anything ever assigned to this judge, in any round

function option(value, text) {
  const element = document.createElement("option");
  element.value = value;
  element.textContent = text;
  return element;
}

// The filters' choices come from the judge's own queue: the rounds and categories they judge.
function fillChoices(assignments) {
  const rounds = new Map();
  const categories = new Map();
  const contests = new Set(assignments.map((a) => a.contest_title));
  for (const a of assignments) {
    rounds.set(a.round, contests.size > 1 ? `${a.round_name} — ${a.contest_title}` : a.round_name);
    const name = contests.size > 1 ? `${a.entry.category_name} — ${a.contest_title}` : a.entry.category_name;
    categories.set(a.entry.category, name);
  }
  for (const [id, name] of rounds) selects.round.append(option(id, name));
  for (const [id, name] of categories) selects.category.append(option(id, name));
}

// Progress is the work of the rounds being judged now: a closed round's or last year's marks
// shown under the "all" filter are not part of it.
function progress(assignments) {
  const current = assignments.filter((a) => a.current);
  const done = current.filter((a) => a.state === "submitted").length;
  const bar = document.getElementById("progress");
  bar.max = Math.max(current.length, 1);
  bar.value = done;
  document.getElementById("progress-label").textContent = t("judge_progress", { done, total: current.length });
}

function row(assignment) {
  const element = fill(clone("assignment-row"), {
    code: assignment.entry.code,
    category: assignment.entry.category_name,
    book: [assignment.entry.book_title, assignment.entry.book_author].filter(Boolean).join(" — "),
    title: assignment.entry.title,
    state: t(`judge_state_${assignment.state}`),
  });
  field(element, "code").href = `/judge/assignments/${assignment.id}/`;
  for (const cell of element.querySelectorAll("[data-label]")) cell.dataset.label = t(cell.dataset.label);
  field(element, "state").classList.add(`state-${assignment.state}`);
  return element;
}

function show(assignments) {
  progress(assignments);
  const byRound = new Map();
  for (const a of assignments) {
    if (!byRound.has(a.round)) byRound.set(a.round, []);
    byRound.get(a.round).push(a);
  }
  const sections = [...byRound.values()].map((rows) => {
    const section = fill(clone("round-group"), {
      round: rows[0].round_name,
      contest: rows[0].contest_title,
      closed: t("judge_round_closed_badge"),
    });
    field(section, "closed").hidden = rows[0].editable;
    section.querySelector("tbody").append(...rows.map(row));
    return section;
  });
  groups.replaceChildren(...sections);
  const empty = document.getElementById("queue-empty");
  empty.hidden = assignments.length > 0;
  if (!assignments.length && hadAny) {
    empty.textContent = t(selects.scope.value === "current" ? "judge_queue_none_current" : "judge_queue_empty");
  }
}

// The filters as the URL keeps them (scope=all only when asked: the queue opens on the rounds
// being judged), and as the API reads them (current=true).
function choices() {
  const chosen = Object.fromEntries(Object.entries(selects).map(([name, select]) => [name, select.value]));
  if (chosen.scope === "current") chosen.scope = "";
  return chosen;
}

function query() {
  const { scope, ...rest } = choices();
  // A round chosen by name is shown whatever its state (a closed one, last year's).
  return scope === "all" || rest.round ? rest : { ...rest, current: "true" };
}

async function reload() {
  const url = new URL(window.location.href);
  for (const [name, value] of Object.entries(choices())) {
    if (value) url.searchParams.set(name, value);
    else url.searchParams.delete(name);
  }
  window.history.replaceState(null, "", url);
  try {
    show(await assignmentsAll(query()));
    clearErrors(form);
  } catch (error) {
    showErrors(form, error);
  }
}

async function main() {
  const me = await start({ title: "judge_queue_title" });
  if (!me) {
    askToSignIn("signin-needed");
    return;
  }
  const everything = await assignmentsAll();
  fillChoices(everything);
  hadAny = everything.length > 0;
  document.getElementById("queue-empty").textContent = t(everything.length ? "judge_queue_empty" : "judge_queue_none");
  const asked = new URLSearchParams(window.location.search);
  for (const [name, select] of Object.entries(selects)) {
    const value = asked.get(name) ?? "";
    if ([...select.options].some((o) => o.value === value)) select.value = value;
  }
  document.getElementById("queue").hidden = false;
  if (Object.values(choices()).some(Boolean)) await reload();
  else show(everything.filter((a) => a.current));
}

for (const select of Object.values(selects)) select.addEventListener("change", reload);
form.addEventListener("submit", (event) => event.preventDefault());

main().catch((error) => pageError(error.message));
