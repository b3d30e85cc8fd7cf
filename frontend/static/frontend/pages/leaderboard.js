import { api, list } from "../api.js";
import { formatFigure, formatNumber, locale, t } from "../i18n.js";
import { resultsExpected } from "../guide.js";
import { barChart } from "../chart.js";
import { contestId, pageError, start } from "../ui.js";

start({ title: "leaderboard" });

const id = contestId();
const head = document.querySelector("#board thead tr");
const body = document.querySelector("#board tbody");
const chart = document.getElementById("chart");
const more = document.getElementById("more");
const state = { by: "library", rows: [], next: null };

function cell(tag, text, className) {
  const element = document.createElement(tag);
  element.textContent = text ?? "";
  if (className) element.className = className;
  return element;
}

function header(tiers) {
  const columns = [
    ["rank"],
    [state.by === "library" ? "unit_library" : "unit_network"],
    ["entries", "num"],
    ["entrants", "num"],
    ["participation", "num"],
    ["average_score", "num"],
  ];
  const cells = columns.map(([key, className]) => cell("th", t(key), className));
  cells.push(...tiers.map((tier) => cell("th", tier.name, "num")));
  cells.push(cell("th", t("winners"), "num"), cell("th", t("points"), "num"));
  for (const th of cells) th.scope = "col";
  head.replaceChildren(...cells);
}

// A small rate keeps its digits: 3 entrants of 40,000 students is 0.0075 %, not "0 %" nor the
// API's 4-decimal 0.0001. From the counts when both are known (exact), with 2 significant digits
// under 1 %; else the API's figure.
function participation(row) {
  if (!row.student_count || row.entrants === null || row.entrants === undefined) {
    return formatFigure(row.participation_rate, { percent: true });
  }
  const percent = (100 * row.entrants) / row.student_count;
  const digits = percent > 0 && percent < 1 ? { maximumSignificantDigits: 2 } : { maximumFractionDigits: 2 };
  return `${percent.toLocaleString(locale(), digits)} %`;
}

function tableRow(row) {
  const tr = document.createElement("tr");
  const unit = cell("th", row.unit.name);
  unit.scope = "row";
  const rate = participation(row);
  tr.append(
    cell("td", row.rank),
    unit,
    cell("td", formatNumber(row.entries, 0), "num"),
    cell("td", formatNumber(row.entrants, 0), "num"),
    cell("td", rate, "num"),
    cell("td", formatFigure(row.average_score), "num"),
    ...row.prizes.map((prize) => cell("td", formatNumber(prize.count, 0), "num")),
    cell("td", formatNumber(row.winners, 0), "num"),
    cell("td", formatNumber(row.points, 0), "num"),
  );
  return tr;
}

function draw() {
  const unit = t(state.by === "library" ? "unit_library" : "unit_network").toLowerCase();
  const bars = state.rows.map((row) => ({
    label: row.unit.name, // the names people know, not short codes
    value: Number(row.points),
    text: formatNumber(row.points, 0),
  }));
  chart.replaceChildren(barChart(bars, { label: t("chart_label", { unit }), width: chart.clientWidth }));
}

async function load(next) {
  const page = next
    ? await list(next)
    : await list(`/api/contests/${id}/leaderboard/`, { by: state.by, page_size: 50 });
  if (!next) {
    state.rows = [];
    body.replaceChildren();
    header(page.results[0]?.prizes ?? []);
  }
  state.rows.push(...page.results);
  body.append(...page.results.map(tableRow));
  state.next = page.next;
  more.hidden = !page.next;
  document.getElementById("board-empty").hidden = state.rows.length > 0;
  draw();
}

function choose(by) {
  state.by = by === "network" ? "network" : "library";
  for (const button of document.querySelectorAll("[data-by]")) {
    button.setAttribute("aria-pressed", String(button.dataset.by === state.by));
  }
  const url = new URL(window.location.href);
  url.searchParams.set("by", state.by);
  window.history.replaceState(null, "", url);
  return load().catch((error) => pageError(error.message));
}

for (const button of document.querySelectorAll("[data-by]")) {
  button.addEventListener("click", () => choose(button.dataset.by));
}
window.addEventListener("resize", () => state.rows.length && draw());
more.addEventListener("click", () => load(state.next).catch((error) => pageError(error.message)));

async function show() {
  const contest = await api(`/api/contests/${id}/`);
  const tiers = [...contest.prize_tiers].sort((a, b) => a.rank - b.rank);
  document.getElementById("help-points").textContent = t("leaderboard_help_points", {
    tiers: tiers.map((tier) => t("leaderboard_tier_points", { name: tier.name, points: tier.points })).join(", "),
  });
  document.getElementById("contest-title").textContent = contest.title;
  document.getElementById("contest-link").href = `/contests/${id}/`;
  if (!["published", "archived"].includes(contest.status) && !contest.allowed_actions.length) {
    // Not out yet, and not the reader's contest to organize: when, rather than a refusal.
    const notice = document.getElementById("not-yet");
    notice.textContent = resultsExpected(contest);
    notice.hidden = false;
    for (const element of document.querySelectorAll(".toggle, .chart, .table-wrap, #how")) element.hidden = true;
    return;
  }
  await choose(new URLSearchParams(window.location.search).get("by"));
}

show().catch((error) => pageError(error.status === 404 ? t("not_found") : error.message));
