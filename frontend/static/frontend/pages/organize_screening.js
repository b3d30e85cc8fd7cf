import { api, ApiError, list, listAll } from "../api.js";
import { formatDateTime, formatNumber, t } from "../i18n.js";
import { busy, failed, organizerOnly, showOutcome, tableShown } from "../organize.js";
import "../strings/organize.js";
import "../strings/screening.js";
import { clearErrors, clone, contestId, field, fill, showErrors, start } from "../ui.js";

const id = contestId();
const base = `/api/contests/${id}/screening`;
const POLL_MS = 1000;

function percent(similarity) {
  return formatNumber(Number(similarity) * 100, 0);
}

// Settings --------------------------------------------------------------------------------

const policyForm = document.getElementById("policy-form");

async function showPolicy(policy) {
  document.getElementById("threshold").value = policy.threshold;
  document.getElementById("hold-flagged").checked = policy.hold_flagged;
  // The organizer's other contests: the ones they may compare with.
  const contests = (await listAll("/api/contests/")).filter((contest) => String(contest.id) !== id);
  const chosen = new Set(policy.copy_sources.map((source) => source.id));
  for (const source of policy.copy_sources) {
    if (!contests.some((contest) => contest.id === source.id)) contests.push(source);
  }
  document.getElementById("copy-sources").replaceChildren(
    ...contests.map((contest) => {
      const option = document.createElement("option");
      option.value = contest.id;
      option.textContent = contest.title;
      option.selected = chosen.has(contest.id);
      return option;
    }),
  );
}

policyForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const outcome = document.getElementById("policy-outcome");
  showOutcome(outcome, "");
  const body = {
    threshold: document.getElementById("threshold").value.trim().replace(",", "."),
    hold_flagged: document.getElementById("hold-flagged").checked,
    copy_sources: [...document.getElementById("copy-sources").selectedOptions].map((option) => Number(option.value)),
  };
  if (!body.threshold) {
    showErrors(policyForm, new ApiError(400, { threshold: [t("field_required")] }));
    return;
  }
  busy(policyForm.querySelector("button"), async () => {
    try {
      const screening = await api(`${base}/`, { method: "PATCH", body });
      clearErrors(policyForm);
      await showPolicy(screening.policy);
      showOutcome(outcome, t("screening_saved"));
    } catch (error) {
      showErrors(policyForm, error);
    }
  });
});

// Runs ------------------------------------------------------------------------------------

function showRun(run) {
  const state = document.getElementById("run-state");
  if (!run) {
    state.textContent = t("screening_never_run");
    return;
  }
  if (run.status === "done") {
    const lines = [
      t("screening_run_done", {
        date: formatDateTime(run.finished_at),
        entries: formatNumber(run.entries, 0),
        sources: formatNumber(run.sources, 0),
        pairs: formatNumber(run.pairs, 0),
        threshold: formatNumber(run.threshold),
      }),
    ];
    if (run.unreadable) lines.push(t("screening_run_unreadable", { count: formatNumber(run.unreadable, 0) }));
    state.textContent = lines.join(" ");
  } else if (run.status === "failed") {
    state.textContent = t("screening_run_failed", { error: run.error });
  } else {
    state.textContent = t(`screening_run_${run.status}`);
  }
}

function watchRun(run) {
  return new Promise((resolve, reject) => {
    const step = (current) => {
      showRun(current);
      if (["done", "failed"].includes(current.status)) {
        resolve(current);
        return;
      }
      setTimeout(() => api(`/api/screening/runs/${current.id}/`).then(step, reject), POLL_MS);
    };
    step(run);
  });
}

const runForm = document.getElementById("run-form");
runForm.addEventListener("submit", (event) => {
  event.preventDefault();
  busy(runForm.querySelector("button"), async () => {
    try {
      const run = await api(`${base}/runs/`, { method: "POST" });
      clearErrors(runForm);
      await watchRun(run);
      await showPairs();
    } catch (error) {
      showErrors(runForm, error);
    }
  });
});

// Pairs -----------------------------------------------------------------------------------

const statusFilter = document.getElementById("pair-status");
let nextPage = null;

function entryLabel(entry) {
  const status = entry.status === "submitted" ? "" : ` ${t(`screening_entry_status_${entry.status}`)}`;
  const earlier = entry.earlier ? ` — ${entry.contest_title}` : "";
  return `${entry.code} · ${entry.title}${earlier}${status}`;
}

function pairRow(pair) {
  const row = fill(clone("pair-row"), {
    similarity: `${percent(pair.similarity)}%`,
    entry: entryLabel(pair.entry),
    other: entryLabel(pair.other),
    status: t(`screening_status_${pair.status}`),
  });
  const button = row.querySelector("button");
  button.setAttribute("aria-label", `${t("screening_open")}: ${pair.entry.code} — ${pair.other.code}`);
  button.addEventListener("click", () => showPair(pair.id).catch(failed));
  return row;
}

async function showPairs({ more = false } = {}) {
  const page = more ? await list(nextPage) : await list("/api/screening/pairs/", { contest: id, status: statusFilter.value });
  nextPage = page.next;
  const body = document.querySelector("#pairs tbody");
  const rows = page.results.map(pairRow);
  if (more) body.append(...rows);
  else body.replaceChildren(...rows);
  const shown = body.children.length > 0;
  document.getElementById("pairs-empty").hidden = shown;
  tableShown("pairs", shown);
  document.getElementById("more-pairs").hidden = !nextPage;
}

statusFilter.addEventListener("change", () => showPairs().catch(failed));
document.getElementById("more-pairs").addEventListener("click", () => showPairs({ more: true }).catch(failed));

// One pair, side by side --------------------------------------------------------------------

let pair = null;

// The text as passages: a shared one is a <mark>, the rest plain text; never HTML.
function showText(slot, segments) {
  slot.replaceChildren(
    ...segments.map((segment) => {
      if (!segment.shared) return document.createTextNode(segment.text);
      const mark = document.createElement("mark");
      mark.textContent = segment.text;
      return mark;
    }),
  );
}

function showSide(side, entry) {
  fill(side, {
    heading: entryLabel(entry),
    who: entry.entrant_name
      ? t("screening_who", { name: entry.entrant_name, library: entry.library_name, contest: entry.contest_title })
      : t("screening_who_hidden", { contest: entry.contest_title }),
  });
  showText(field(side, "text"), entry.segments);
}

function showDecision() {
  const decided = document.getElementById("decided");
  const decideForm = document.getElementById("decide-form");
  const pending = pair.status === "pending";
  decideForm.hidden = !pending;
  decided.hidden = pending;
  if (!pending) {
    decided.textContent = t("screening_decided", {
      status: t(`screening_status_${pair.status}`),
      reason: pair.reason,
      name: pair.decided_by_name ?? "",
      date: formatDateTime(pair.decided_at),
    });
  }
  document.getElementById("forward-form").hidden = pair.status === "disqualified";
  document.getElementById("forward-note").value = pair.judges_note;
}

async function showPair(pairId) {
  pair = await api(`/api/screening/pairs/${pairId}/`);
  const section = document.getElementById("compare");
  document.getElementById("compare-heading").textContent = t("screening_compare_title", {
    entry: pair.entry.code,
    other: pair.other.code,
    percent: percent(pair.similarity),
  });
  showSide(document.getElementById("side-entry"), pair.entry);
  showSide(document.getElementById("side-other"), pair.other);
  const decideForm = document.getElementById("decide-form");
  clearErrors(decideForm);
  decideForm.reset();
  clearErrors(document.getElementById("forward-form"));
  showOutcome(document.getElementById("forward-outcome"), "");
  // Only this contest's entries can be disqualified here (last year's are published).
  for (const [key, entry] of [
    ["entry", pair.entry],
    ["other", pair.other],
  ]) {
    const box = document.getElementById(`disqualify-${key}`);
    box.value = entry.id;
    box.disabled = entry.earlier || entry.status !== "submitted";
    fill(decideForm, { [`${key}-label`]: entryLabel(entry) });
  }
  document.getElementById("disqualify-choice").hidden = true;
  showDecision();
  section.hidden = false;
  section.focus();
}

const decideForm = document.getElementById("decide-form");
decideForm.addEventListener("change", () => {
  document.getElementById("disqualify-choice").hidden = !document.getElementById("decision-disqualify").checked;
});

decideForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const decision = decideForm.elements.decision.value;
  const reason = document.getElementById("decision-reason").value.trim();
  const disqualify =
    decision === "disqualify"
      ? [...decideForm.querySelectorAll("input[name='disqualify']:checked")].map((box) => Number(box.value))
      : [];
  if (!reason) {
    showErrors(decideForm, new ApiError(400, { reason: [t("field_required")] }));
    return;
  }
  busy(decideForm.querySelector("button[type='submit']"), async () => {
    try {
      const decided = await api(`/api/screening/pairs/${pair.id}/decide/`, {
        method: "POST",
        body: { decision, reason, disqualify },
      });
      clearErrors(decideForm);
      pair = { ...pair, ...decided, entry: { ...pair.entry, ...decided.entry }, other: { ...pair.other, ...decided.other } };
      showDecision();
      await showPairs();
    } catch (error) {
      showErrors(decideForm, error);
    }
  });
});

const forwardForm = document.getElementById("forward-form");
forwardForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const note = document.getElementById("forward-note").value.trim();
  const outcome = document.getElementById("forward-outcome");
  showOutcome(outcome, "");
  if (!note) {
    showErrors(forwardForm, new ApiError(400, { note: [t("field_required")] }));
    return;
  }
  busy(forwardForm.querySelector("button"), async () => {
    try {
      await api(`/api/screening/pairs/${pair.id}/forward/`, { method: "POST", body: { note } });
      clearErrors(forwardForm);
      showOutcome(outcome, t("screening_forwarded"));
    } catch (error) {
      showErrors(forwardForm, error);
    }
  });
});

// The page --------------------------------------------------------------------------------

async function show(me) {
  if (!organizerOnly(me)) return;
  const [contest, screening] = await Promise.all([api(`/api/contests/${id}/`), api(`${base}/`)]);
  document.title = `${t("screening_title")} — ${contest.title}`;
  const article = document.getElementById("screening");
  fill(article, { contest: contest.title });
  document.getElementById("contest-link").href = `/organize/contests/${id}/`;
  article.hidden = false;
  showRun(screening.last_run);
  await Promise.all([showPolicy(screening.policy), showPairs()]);
  if (screening.last_run && ["queued", "running"].includes(screening.last_run.status)) {
    watchRun(screening.last_run).then(() => showPairs(), failed);
  }
}

start({ title: "screening_title" }).then(show).catch(failed);
