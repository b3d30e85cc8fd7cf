import { api, ApiError, listAll } from "../api.js";
import { formatFigure, formatNumber, t } from "../i18n.js";
import { busy, failed, organizerOnly, progressBar, showOutcome, tableShown } from "../organize.js";
import "../strings/organize.js";
import { clearErrors, clone, field, fill, showErrors, start } from "../ui.js";

const id = document.body.dataset.roundId;
const base = `/api/rounds/${id}`;
let round = null;
let workflow = null; // the contest's (contests.selectors.contest_workflow)

// The round itself --------------------------------------------------------------------------

function showRound() {
  const article = document.getElementById("round");
  fill(article, {
    name: round.name,
    contest: round.contest_title,
    info: t("organize_round_info", { count: round.judges_per_entry, scale: formatNumber(round.scale) }),
  });
  // The round's stage and the actions it allows, from the contest's workflow: a round nobody
  // was assigned to is "not started", and only the round judging is at can be assigned or closed.
  const flow = workflow ?? { round_stages: {}, allowed_actions: [], round: null };
  const stage = flow.round_stages[round.id] ?? round.status;
  document.getElementById("round-status").textContent = t(`organize_round_stage_${stage}`);
  document.getElementById("contest-link").href = `/organize/contests/${round.contest}/`;
  document.title = `${round.name} — ${round.contest_title}`;
  const closed = round.status === "closed";
  const atThisRound = String(flow.round?.id) === String(round.id);
  document.getElementById("judge-form").hidden = closed;
  document.getElementById("anchor-form").hidden = closed;
  document.getElementById("assign-form").hidden = closed || !(atThisRound && flow.allowed_actions.includes("assign"));
  document.getElementById("close-form").hidden = closed || !flow.allowed_actions.includes("close_round") || stage !== "judging";
  article.hidden = false;
}

// Judges ------------------------------------------------------------------------------------

const judgesError = document.getElementById("judges-error");

function judgeRow(judge) {
  const row = fill(clone("judge-row"), {
    name: judge.full_name || judge.username,
    username: judge.username,
    weight: formatNumber(judge.weight),
  });
  const button = row.querySelector("button");
  button.setAttribute("aria-label", t("organize_remove_label", { name: judge.full_name || judge.username }));
  button.hidden = round.status === "closed";
  button.addEventListener("click", () => {
    // Their unscored entries go back to the pool: asked first.
    if (!window.confirm(t("organize_confirm_remove", { name: judge.full_name || judge.username }))) return;
    busy(button, async () => {
      try {
        await api(`${base}/judges/${judge.user}/`, { method: "DELETE" });
        showOutcome(judgesError, "");
        await Promise.all([showJudges(), showProgress()]);
      } catch (error) {
        showOutcome(judgesError, error.message);
      }
    });
  });
  return row;
}

let judgesAsked = 0;

async function showJudges() {
  const asked = ++judgesAsked;
  const judges = await api(`${base}/judges/`);
  if (asked !== judgesAsked) return; // a later answer is on its way: it wins
  document.querySelector("#judges tbody").replaceChildren(...judges.map(judgeRow));
  document.getElementById("judges-empty").hidden = judges.length > 0;
  tableShown("judges", judges.length > 0);
}

const judgeForm = document.getElementById("judge-form");
judgeForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const input = document.getElementById("judge-username");
  const outcome = document.getElementById("judge-outcome");
  showOutcome(outcome, "");
  const username = input.value.trim();
  if (!username) {
    showErrors(judgeForm, new ApiError(400, { username: [t("field_required")] }));
    return;
  }
  busy(judgeForm.querySelector("button"), () =>
    api(`${base}/judges/`, { method: "POST", body: { username } }),
  ).then(
    (judge) => {
      clearErrors(judgeForm);
      input.value = "";
      showOutcome(outcome, t("organize_judge_added", { name: judge.full_name || judge.username }));
      Promise.all([showJudges(), showProgress()]).catch(failed);
    },
    (error) => {
      showErrors(judgeForm, error);
      // The panel's own rules (an entrant, an organizer...) answer under "user": same input.
      if (error.fields?.user) input.setAttribute("aria-invalid", "true");
    },
  );
});

// Assignment --------------------------------------------------------------------------------

const assignForm = document.getElementById("assign-form");
assignForm.addEventListener("submit", (event) => {
  event.preventDefault();
  busy(assignForm.querySelector("button"), async () => {
    try {
      const report = await api(`${base}/assign/`, { method: "POST" });
      clearErrors(assignForm);
      const box = document.getElementById("assign-report");
      fill(box, {
        entries: formatNumber(report.entries, 0),
        judges: formatNumber(report.judges, 0),
        added: formatNumber(report.added, 0),
        moved: formatNumber(report.moved, 0),
        removed: formatNumber(report.removed, 0),
        assignments: formatNumber(report.assignments, 0),
        load: t("organize_report_load_value", { lightest: report.lightest_load, heaviest: report.heaviest_load }),
        held: formatNumber(report.held, 0),
      });
      const items = report.short.map((item) => {
        const li = document.createElement("li");
        li.textContent = t("organize_short_item", item);
        return li;
      });
      document.getElementById("short-list").replaceChildren(...items);
      document.getElementById("short").hidden = items.length === 0;
      box.hidden = false;
      round = await api(`${base}/`); // the new design
      workflow = (await api(`/api/contests/${round.contest}/`)).workflow; // now being judged
      showRound();
      await Promise.all([showProgress(), showCalibration()]);
    } catch (error) {
      showErrors(assignForm, error);
    }
  });
});

// Progress ----------------------------------------------------------------------------------

let progress = null;

function progressRow(name, counts, drafts) {
  const row = clone("progress-row");
  fill(row, { name, drafts: drafts === undefined ? "" : formatNumber(drafts, 0) });
  progressBar(row.querySelector(".meter"), counts.done, counts.total);
  row.querySelector("progress").setAttribute("aria-label", name);
  if (drafts === undefined) row.lastElementChild.remove();
  return row;
}

async function showProgress() {
  progress = await api(`${base}/progress/`);
  progressBar(document.getElementById("progress-all"), progress.done, progress.total);
  document.querySelector("#progress-judges tbody").replaceChildren(
    ...progress.judges.map((judge) =>
      progressRow(
        judge.on_panel ? judge.full_name : `${judge.full_name} ${t("organize_off_panel")}`,
        judge,
        judge.drafts,
      ),
    ),
  );
  document
    .querySelector("#progress-categories tbody")
    .replaceChildren(...progress.categories.map((category) => progressRow(category.name, category)));
}

// Calibration and anchors -------------------------------------------------------------------

function figure(value) {
  return value === null ? "–" : formatNumber(value);
}

function calibrationRow(judge) {
  const severity = judge.severity === null ? "–" : `${judge.severity > 0 ? "+" : ""}${formatNumber(judge.severity)}`;
  return fill(clone("calibration-row"), {
    name: judge.on_panel ? judge.full_name : `${judge.full_name} ${t("organize_off_panel")}`,
    marks: formatNumber(judge.marks, 0),
    shared: formatNumber(judge.shared, 0),
    mean: figure(judge.mean),
    spread: figure(judge.spread),
    severity,
    agreement: figure(judge.agreement),
    flags: judge.flags.map((flag) => t(`organize_flag_${flag}`)).join("; "),
  });
}

async function showCalibration() {
  const calibration = await api(`${base}/calibration/`);
  const design = round.design;
  document.getElementById("design").textContent = design
    ? t("organize_design", {
        judges: design.judges,
        components: design.components,
        co_judges: design.fewest_co_judges,
      })
    : t("organize_design_none");
  const panel = document.getElementById("panel-figures");
  panel.hidden = calibration.marks === 0;
  panel.textContent =
    calibration.marks === 0
      ? ""
      : t("organize_panel_figures", {
          marks: formatNumber(calibration.marks, 0),
          mean: figure(calibration.panel_mean),
          spread: figure(calibration.panel_spread),
        });
  const judges = calibration.judges.filter((judge) => judge.marks > 0);
  document.querySelector("#calibration tbody").replaceChildren(...judges.map(calibrationRow));
  document.getElementById("calibration-empty").hidden = judges.length > 0;
  tableShown("calibration", judges.length > 0);
}

const anchorForm = document.getElementById("anchor-form");
const anchorOutcome = document.getElementById("anchor-outcome");

function anchorItem(anchor) {
  const item = fill(clone("anchor-item"), { label: `${anchor.code} — ${anchor.title}` });
  const button = item.querySelector("button");
  button.hidden = round.status === "closed";
  button.addEventListener("click", () =>
    busy(button, async () => {
      try {
        await api(`${base}/anchors/${anchor.entry}/`, { method: "DELETE" });
        showOutcome(anchorOutcome, "");
        await showAnchors();
      } catch (error) {
        showOutcome(anchorOutcome, error.message);
      }
    }),
  );
  return item;
}

async function showAnchors() {
  const anchors = await api(`${base}/anchors/`);
  const items = anchors.map(anchorItem);
  if (items.length === 0) {
    const empty = document.createElement("li");
    empty.textContent = t("organize_no_anchors");
    items.push(empty);
  }
  document.getElementById("anchors").replaceChildren(...items);
}

anchorForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const input = document.getElementById("anchor-code");
  const code = input.value.trim().toUpperCase();
  showOutcome(anchorOutcome, "");
  if (!code) {
    showErrors(anchorForm, new ApiError(400, { entry: [t("field_required")] }));
    return;
  }
  busy(anchorForm.querySelector("button"), async () => {
    const found = await api(`/api/entries/?contest=${round.contest}&search=${encodeURIComponent(code)}`);
    const entry = found.results.find((candidate) => candidate.code === code);
    if (!entry) throw new ApiError(400, { entry: [t("organize_anchor_unknown")] });
    return api(`${base}/anchors/`, { method: "POST", body: { entry: entry.id } });
  }).then(
    (anchor) => {
      clearErrors(anchorForm);
      input.value = "";
      showOutcome(anchorOutcome, t("organize_anchor_added", { code: anchor.code }));
      showAnchors().catch(failed);
    },
    (error) => showErrors(anchorForm, error),
  );
});

// Disagreements -----------------------------------------------------------------------------

function disagreementRow(entry) {
  const row = fill(clone("disagreement-row"), {
    code: entry.code,
    category: entry.category_name,
    title: entry.title,
    spread: formatFigure(entry.spread),
    totals: entry.totals.map((total) => formatNumber(total)).join(" · "),
  });
  const button = row.querySelector("button");
  button.setAttribute("aria-label", t("organize_extra_judge_label", { code: entry.code }));
  button.hidden = round.status === "closed";
  const outcome = field(row, "outcome");
  button.addEventListener("click", () =>
    busy(button, async () => {
      try {
        await api(`${base}/extra_judge/`, { method: "POST", body: { entry: entry.id } });
        outcome.className = "row-outcome ok";
        outcome.textContent = t("organize_extra_judge_added");
        await showProgress();
      } catch (error) {
        outcome.className = "row-outcome error";
        outcome.textContent = Object.values(error.fields ?? {}).flat().join(" ") || error.message;
      }
    }),
  );
  return row;
}

async function showDisagreements() {
  const entries = await listAll(`${base}/disagreements/`);
  document.querySelector("#disagreements tbody").replaceChildren(...entries.map(disagreementRow));
  document.getElementById("disagreements-empty").hidden = entries.length > 0;
  tableShown("disagreements", entries.length > 0);
}

// Closing -----------------------------------------------------------------------------------

const closeForm = document.getElementById("close-form");
const force = document.getElementById("force");
const forceConfirm = document.getElementById("force-confirm");
const forceButton = document.getElementById("force-button");

function showUnfinished() {
  // The refusal says how many; the progress says whose.
  const items = progress.judges
    .filter((judge) => judge.done < judge.total)
    .map((judge) => {
      const li = document.createElement("li");
      li.textContent = t("organize_unfinished_item", { name: judge.full_name, done: judge.done, total: judge.total });
      return li;
    });
  document.getElementById("unfinished-list").replaceChildren(...items);
  document.getElementById("unfinished").hidden = items.length === 0;
}

function showCloseReport(report) {
  const box = document.getElementById("close-report");
  fill(box, {
    summary: t("organize_closed_report", report),
    unscored: report.unscored_entries.length
      ? t("organize_unscored_entries", { codes: report.unscored_entries.join(", ") })
      : "",
  });
  const judges = new Map((progress?.judges ?? []).map((judge) => [judge.user, judge.full_name]));
  const items = report.left_out.map((row) => {
    const li = document.createElement("li");
    li.textContent = `${row.code} · ${judges.get(row.judge) ?? row.judge}`;
    return li;
  });
  document.getElementById("left-out-list").replaceChildren(...items);
  document.getElementById("left-out").hidden = items.length === 0;
  box.hidden = false;
}

async function close(withForce) {
  try {
    const report = await api(`${base}/close/`, { method: "POST", body: { force: withForce } });
    clearErrors(closeForm);
    force.hidden = true;
    document.getElementById("unfinished").hidden = true;
    round = await api(`${base}/`);
    workflow = (await api(`/api/contests/${round.contest}/`)).workflow;
    showRound();
    showCloseReport(report);
    await Promise.all([
    showJudges(),
    showProgress(),
    showCalibration(),
    showAnchors(),
    showDisagreements(),
    showResults(),
  ]);
  } catch (error) {
    showErrors(closeForm, error);
    if (error.code === "scores_missing") {
      await showProgress();
      showUnfinished();
      force.hidden = false;
      forceConfirm.checked = false;
      forceButton.disabled = true;
    }
  }
}

closeForm.addEventListener("submit", (event) => {
  event.preventDefault();
  busy(document.getElementById("close-button"), () => close(false));
});
forceConfirm.addEventListener("change", () => {
  forceButton.disabled = !forceConfirm.checked;
});
forceButton.addEventListener("click", () => {
  if (forceConfirm.checked) busy(forceButton, () => close(true)).then(() => (forceButton.disabled = true));
});

// Results -----------------------------------------------------------------------------------

async function showResults() {
  if (round.status !== "closed") return;
  const results = await listAll(`${base}/results/`);
  document.querySelector("#results tbody").replaceChildren(
    ...results.map((result) =>
      fill(clone("result-row"), {
        rank: result.rank,
        code: result.code,
        title: result.title,
        category: result.category_name,
        score: formatFigure(result.score),
        advanced: result.advanced ? t("organize_yes") : t("organize_no"),
        prize: result.prize ?? "",
      }),
    ),
  );
  document.getElementById("results-empty").hidden = true;
  document.getElementById("results-wrap").hidden = false;
}

// The page ----------------------------------------------------------------------------------

async function show(me) {
  if (!organizerOnly(me)) return;
  round = await api(`${base}/`);
  workflow = (await api(`/api/contests/${round.contest}/`)).workflow;
  showRound();
  await Promise.all([
    showJudges(),
    showProgress(),
    showCalibration(),
    showAnchors(),
    showDisagreements(),
    showResults(),
  ]);
}

start({ title: "organize_title" }).then(show).catch(failed);
