// The public result: one section per category, each with its own ranking (the API ranks within
// a category), a search by entrant or library over them, and, before the results are out, when
// they are expected instead of an error.
import { api, list } from "../api.js";
import { resultsExpected } from "../guide.js";
import { formatFigure, t } from "../i18n.js";
import { clone, contestId, field, fill, pageError, start } from "../ui.js";

start({ title: "results" });

const id = contestId();
const form = document.getElementById("filters");
const select = document.getElementById("category");
const search = document.getElementById("search");
const container = document.getElementById("results");
const PAGE = 100;
let sections = []; // [{category, element, next}]

function row(result) {
  const element = fill(clone("result-row"), {
    rank: result.rank,
    entrant: result.entrant?.full_name,
    library: result.library?.name,
    title: result.title,
    score: formatFigure(result.score),
    prizes: result.prizes.map((prize) => prize.name).join(", "),
  });
  for (const cell of element.querySelectorAll("[data-label]")) cell.dataset.label = t(cell.dataset.label);
  element.dataset.search = normalized(`${result.entrant?.full_name ?? ""} ${result.library?.name ?? ""}`);
  element.classList.toggle("prized", result.prizes.length > 0);
  return element;
}

// Search without caring for case or Vietnamese marks: "huong" finds "Hường", "can tho" Cần Thơ.
function normalized(text) {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .trim();
}

async function load(section, next) {
  const page = next
    ? await list(next)
    : await list(`/api/contests/${id}/results/`, { category: section.category.id, page_size: PAGE });
  section.element.querySelector("tbody").append(...page.results.map(row));
  section.next = page.next;
  field(section.element, "more").hidden = !page.next;
  const rows = section.element.querySelectorAll("tbody tr").length;
  field(section.element, "empty").hidden = rows > 0;
  section.element.querySelector(".table-wrap").hidden = rows === 0;
}

function sectionFor(category) {
  const element = fill(clone("category-section"), {
    name: category.name,
    caption: t("results_category_caption", { category: category.name }),
  });
  element.dataset.category = category.id;
  const section = { category, element, next: null };
  field(element, "more").addEventListener("click", () =>
    load(section, section.next).then(filter).catch((error) => pageError(error.message)),
  );
  return section;
}

// Searching reads each section whole first (its "more" pages), so that nobody is missed.
let searched = false;
async function filter() {
  const words = normalized(search.value);
  if (words && !searched) {
    searched = true;
    for (const section of sections) {
      while (section.next) await load(section, section.next);
    }
  }
  let shown = 0;
  for (const section of sections) {
    let inSection = 0;
    for (const tr of section.element.querySelectorAll("tbody tr")) {
      tr.hidden = Boolean(words) && !tr.dataset.search.includes(words);
      if (!tr.hidden) inSection += 1;
    }
    section.element.hidden = Boolean(words) && inSection === 0;
    shown += inSection;
  }
  document.getElementById("search-empty").hidden = !words || shown > 0;
}

async function showSections(contest) {
  const chosen = contest.categories.filter((c) => !select.value || String(c.id) === select.value);
  sections = chosen.map(sectionFor);
  searched = false;
  container.replaceChildren(...sections.map((section) => section.element));
  await Promise.all(sections.map((section) => load(section)));
  document.getElementById("results-empty").hidden = contest.categories.length > 0;
  await filter();
}

function notYet(contest) {
  const notice = document.getElementById("not-yet");
  notice.textContent = resultsExpected(contest);
  notice.hidden = false;
}

async function show() {
  const contest = await api(`/api/contests/${id}/`);
  document.getElementById("contest-title").textContent = contest.title;
  document.getElementById("contest-link").href = `/contests/${id}/`;
  if (!["published", "archived"].includes(contest.status)) {
    notYet(contest);
    return;
  }
  for (const category of contest.categories) {
    const option = document.createElement("option");
    option.value = category.id;
    option.textContent = category.name;
    select.append(option);
  }
  const asked = new URLSearchParams(window.location.search);
  select.value = asked.get("category") ?? "";
  search.value = asked.get("q") ?? "";
  form.hidden = false;
  await showSections(contest);
  select.addEventListener("change", () => {
    remember();
    showSections(contest).catch((error) => pageError(error.message));
  });
}

function remember() {
  const url = new URL(window.location.href);
  for (const [name, value] of [
    ["category", select.value],
    ["q", search.value.trim()],
  ]) {
    url.searchParams.delete(name);
    if (value) url.searchParams.set(name, value);
  }
  window.history.replaceState(null, "", url);
}

search.addEventListener("input", () => {
  remember();
  filter().catch((error) => pageError(error.message));
});
form.addEventListener("submit", (event) => event.preventDefault());

show().catch((error) => pageError(error.status === 404 ? t("not_found") : error.message));
