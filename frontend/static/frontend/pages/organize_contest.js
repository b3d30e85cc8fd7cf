import { api } from "../api.js";
import { formatDateTime, formatNumber, t } from "../i18n.js";
import { busy, failed, organizerOnly, progressBar, showOutcome, tableShown, vietnamInputToIso } from "../organize.js";
import "../strings/organize.js";
import { showPublicVoteLinks } from "../voting_links.js";
import { clearErrors, clone, contestId, field, fill, showErrors, start, statusLabel } from "../ui.js";

const id = contestId();
const base = `/api/contests/${id}`;

async function entryCount(query) {
  const page = await api("/api/entries/", { query: { contest: id, page_size: 1, ...query } });
  return page.count;
}

async function showCounts(contest) {
  const body = document.querySelector("#category-counts tbody");
  const counts = await Promise.all(contest.categories.map((category) => entryCount({ category: category.id })));
  body.replaceChildren(
    ...contest.categories.map((category, index) =>
      fill(clone("category-count-row"), { name: category.name, entries: formatNumber(counts[index], 0) }),
    ),
  );
  document.getElementById("entries-total").textContent = formatNumber(await entryCount({}), 0);
}

async function roundRow(round) {
  const row = clone("round-row");
  // Not "scoring" for a round nobody was assigned to yet: the workflow says whether it is judged.
  const stage = contest.workflow.round_stages[round.id] ?? round.status;
  fill(row, { name: round.name, status: t(`organize_round_stage_${stage}`), judges: "…" });
  field(row, "name").href = `/organize/rounds/${round.id}/`;
  try {
    const judges = await api(`/api/rounds/${round.id}/judges/`);
    fill(row, { judges: formatNumber(judges.length, 0) });
  } catch {
    fill(row, { judges: "–" });
  }
  return row;
}

async function showRounds(contest) {
  const rounds = [...contest.rounds].sort((a, b) => a.order - b.order);
  document.querySelector("#rounds tbody").replaceChildren(...(await Promise.all(rounds.map(roundRow))));
  document.getElementById("rounds-empty").hidden = rounds.length > 0;
  tableShown("rounds", rounds.length > 0);
}

// Prizes ----------------------------------------------------------------------------------

function showAwardReport(report) {
  const rows = report.tiers.map((tally) =>
    fill(clone("tier-row"), {
      category: tally.category_name,
      tier: tally.tier_name,
      quota: formatNumber(tally.quota, 0),
      awarded: formatNumber(tally.awarded, 0),
      overflow: tally.overflow ? `+${tally.overflow}: ${tally.overflow_entries.join(", ")}` : "–",
    }),
  );
  document.querySelector("#award-report tbody").replaceChildren(...rows);
  document.getElementById("tiers-empty").hidden = rows.length > 0;
  tableShown("award-report", rows.length > 0);
}

const awardForm = document.getElementById("award-form");
awardForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const outcome = document.getElementById("award-outcome");
  showOutcome(outcome, "");
  busy(awardForm.querySelector("button"), async () => {
    try {
      const report = await api(`${base}/prizes/`, { method: "POST" });
      clearErrors(awardForm);
      showAwardReport(report);
      showOutcome(outcome, t("organize_awarded_total", { count: report.awarded }));
      await refresh();
    } catch (error) {
      showErrors(awardForm, error);
    }
  });
});

// Publication -----------------------------------------------------------------------------

let contest = null;

// The lifecycle's next step that is the organizer's to take (draft -> open -> closed -> judging;
// the clock also closes an open contest at its deadline, and publishing has its own form).
const NEXT_STAGE = { draft: "open", open: "closed", closed: "judging" };
const STAGE_ACTION = { draft: "open", open: "close", closed: "start_judging" };
const STAGES = ["draft", "open", "closed", "judging", "published"];
const stageForm = document.getElementById("stage-form");

function allowed(action) {
  return contest.allowed_actions.includes(action);
}

function showStage(status) {
  const next = NEXT_STAGE[status];
  stageForm.hidden = !next || !allowed(STAGE_ACTION[status]);
  if (next) document.getElementById("stage-button").textContent = t(`organize_stage_to_${next}`);
}

// The stage the contest is in, and the one next step (contests.selectors.contest_workflow).
function showWorkflow() {
  const flow = contest.workflow;
  const current = flow.stage === "archived" ? "published" : flow.stage;
  document.getElementById("stages").replaceChildren(
    ...STAGES.map((stage) => {
      const item = document.createElement("li");
      item.textContent = t(`status_${stage}`);
      if (stage === current) item.setAttribute("aria-current", "step");
      else if (STAGES.indexOf(stage) < STAGES.indexOf(current)) item.classList.add("done");
      return item;
    }),
  );
  const values = { round: flow.round?.name ?? "", done: flow.done ?? 0, total: flow.total ?? 0 };
  document.getElementById("next-step-text").textContent = t(`organize_next_${flow.next_step}`, values);
  const link = document.getElementById("next-step-link");
  link.hidden = !flow.round || (!allowed("assign") && !allowed("close_round"));
  if (flow.round) {
    link.href = `/organize/rounds/${flow.round.id}/`;
    link.textContent = t("organize_next_round_link", values);
  }
  document.getElementById("award-form").hidden = !allowed("award");
  document.getElementById("publish-now-form").hidden = !allowed("publish");
  document.getElementById("schedule-form").hidden = !allowed("publish");
  document.getElementById("unpublish-form").hidden = !allowed("unpublish");
  document.getElementById("certificates-form").hidden = !allowed("certificates");
  document.getElementById("release-form").hidden = !allowed("release_comments");
  document.getElementById("comments-released").hidden = !contest.comments_released;
  showStage(contest.status);
}

// After any action: the stage, the next step and the actions it allows, as the server says now.
async function refresh() {
  contest = await api(`${base}/`);
  document.getElementById("contest-status").textContent = statusLabel(contest.status);
  showWorkflow();
  await showRounds(contest);
}

const releaseForm = document.getElementById("release-form");
releaseForm.addEventListener("submit", (event) => {
  event.preventDefault();
  if (!window.confirm(t("organize_confirm_release_comments"))) return;
  busy(releaseForm.querySelector("button"), async () => {
    try {
      await api(`${base}/`, { method: "PATCH", body: { comments_released: true } });
      clearErrors(releaseForm);
      await refresh();
    } catch (error) {
      showErrors(releaseForm, error);
    }
  });
});

stageForm.addEventListener("submit", (event) => {
  event.preventDefault();
  // Each step is one way (only a reopening, with a reason, goes back): asked first.
  if (!window.confirm(t(`organize_confirm_stage_${NEXT_STAGE[contest.status]}`))) return;
  busy(stageForm.querySelector("button"), async () => {
    try {
      const changed = await api(`${base}/`, { method: "PATCH", body: { status: NEXT_STAGE[contest.status] } });
      clearErrors(stageForm);
      showPublication({ status: changed.status, published_at: changed.published_at, publish_at: changed.publish_at });
      await refresh();
    } catch (error) {
      showErrors(stageForm, error);
    }
  });
});

function showPublication(publication) {
  contest.status = publication.status;
  document.getElementById("contest-status").textContent = statusLabel(publication.status);
  showStage(publication.status);
  const state = document.getElementById("publication-state");
  const published = ["published", "archived"].includes(publication.status);
  if (published && publication.published_at) {
    state.textContent = t("organize_published_at", { date: formatDateTime(publication.published_at) });
  } else if (publication.publish_at) {
    state.textContent = t("organize_scheduled_at", { date: formatDateTime(publication.publish_at) });
  } else {
    state.textContent = t("organize_not_published");
  }
}

function publicationForm(formId, request) {
  const form = document.getElementById(formId);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form.querySelector("button"), async () => {
      try {
        const body = request(form);
        if (!body) return;
        showPublication(await api(`${base}/${body.path}/`, { method: "POST", body: body.data }));
        clearErrors(form);
        await refresh();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
}

function required(form, input) {
  if (input.value.trim()) return true;
  clearErrors(form);
  const slot = form.querySelector(`[data-error-for="${input.name}"]`);
  slot.textContent = t("field_required");
  slot.hidden = false;
  input.setAttribute("aria-invalid", "true");
  input.focus();
  return false;
}

// Publishing e-mails every entrant: asked first.
publicationForm("publish-now-form", () =>
  window.confirm(t("organize_confirm_publish_now")) ? { path: "publish", data: {} } : null,
);
publicationForm("schedule-form", (form) => {
  const input = document.getElementById("publish-at");
  if (!required(form, input)) return null;
  return { path: "publish", data: { publish_at: vietnamInputToIso(input.value) } };
});
publicationForm("unpublish-form", (form) => {
  const input = document.getElementById("unpublish-reason");
  if (!required(form, input)) return null;
  return { path: "unpublish", data: { reason: input.value.trim() } };
});

// Certificates ----------------------------------------------------------------------------

const POLL_MS = 1000;

function watchJob(job) {
  const meter = document.getElementById("certificates-progress");
  const outcome = document.getElementById("certificates-outcome");
  meter.hidden = false;
  return new Promise((resolve, reject) => {
    const step = (current) => {
      progressBar(meter, current.done, current.total);
      showOutcome(meter.querySelector("[data-field='count']"), t("organize_certificates_count", current));
      if (current.status === "done") {
        showOutcome(outcome, t("organize_certificates_done", { total: current.total }));
        resolve(current);
        return;
      }
      setTimeout(() => api(`/api/jobs/${job.id}/`).then(step, reject), POLL_MS);
    };
    step(job);
  });
}

const certificatesForm = document.getElementById("certificates-form");
certificatesForm.addEventListener("submit", (event) => {
  event.preventDefault();
  showOutcome(document.getElementById("certificates-outcome"), "");
  busy(certificatesForm.querySelector("button"), async () => {
    try {
      const job = await api(`${base}/certificates/`, { method: "POST" });
      clearErrors(certificatesForm);
      await watchJob(job);
    } catch (error) {
      showErrors(certificatesForm, error);
    }
  });
});

// The page --------------------------------------------------------------------------------

async function show(me) {
  if (!organizerOnly(me)) return;
  contest = await api(`${base}/`);
  document.title = `${contest.title} — ${t("organize_title")}`;
  const article = document.getElementById("overview");
  fill(article, {
    title: contest.title,
    network: contest.network_name,
    window: t("organize_window_value", {
      opens: formatDateTime(contest.submission_opens_at),
      closes: formatDateTime(contest.submission_closes_at),
    }),
  });
  document.getElementById("public-link").href = `/contests/${id}/`;
  document.getElementById("admin-link").href = `/admin/contests/contest/${id}/change/`;
  // Only the platform's organizers may use the admin: no link to a refusal for anyone else.
  document.getElementById("admin-link").hidden = !me.roles.includes("platform_organizer");
  document.getElementById("screening-link").href = `/organize/contests/${id}/screening/`;
  showPublicVoteLinks(id, "public-vote-links", (vote) => `/organize/votes/${vote.id}/`).catch(() => {});
  document.getElementById("certificates-zip").href = `${base}/certificates/zip/`;
  showPublication({ status: contest.status, published_at: contest.published_at, publish_at: contest.publish_at });
  showWorkflow();
  article.hidden = false;
  await Promise.all([
    showCounts(contest),
    showRounds(contest),
    api(`${base}/prizes/`)
      .then(showAwardReport)
      .catch((error) => showErrors(awardForm, error)),
  ]);
}

start({ title: "organize_title" }).then(show).catch(failed);
