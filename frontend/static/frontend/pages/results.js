import { api, list } from "../api.js";
import { formatFigure, t } from "../i18n.js";
import { clearErrors, clone, contestId, fill, pageError, showErrors, start } from "../ui.js";

start({ title: "results" });

const id = contestId();
const form = document.getElementById("filters");
const select = document.getElementById("category");
const body = document.querySelector("#results tbody");
const more = document.getElementById("more");
let next = null;

function row(result) {
  return fill(clone("result-row"), {
    rank: result.rank,
    entrant: result.entrant?.full_name,
    library: result.library?.name,
    title: result.title,
    category: result.category_name,
    score: formatFigure(result.score),
    prizes: result.prizes.map((prize) => prize.name).join(", "),
  });
}

async function load(pageOrQuery) {
  const page = typeof pageOrQuery === "string" ? await list(pageOrQuery) : await list(`/api/contests/${id}/results/`, pageOrQuery);
  body.append(...page.results.map(row));
  next = page.next;
  more.hidden = !next;
  document.getElementById("results-empty").hidden = body.children.length > 0;
}

async function show() {
  const contest = await api(`/api/contests/${id}/`);
  document.getElementById("contest-title").textContent = contest.title;
  document.getElementById("contest-link").href = `/contests/${id}/`;
  for (const category of contest.categories) {
    const option = document.createElement("option");
    option.value = category.id;
    option.textContent = category.name;
    select.append(option);
  }
  select.value = new URLSearchParams(window.location.search).get("category") ?? "";
  await load({ category: select.value, page_size: 100 });
}

select.addEventListener("change", async () => {
  const url = new URL(window.location.href);
  url.searchParams.delete("category");
  if (select.value) url.searchParams.set("category", select.value);
  window.history.replaceState(null, "", url);
  body.replaceChildren();
  try {
    await load({ category: select.value, page_size: 100 });
    clearErrors(form);
  } catch (error) {
    showErrors(form, error);
  }
});

form.addEventListener("submit", (event) => event.preventDefault());
more.addEventListener("click", () => load(next).catch((error) => pageError(error.message)));

show().catch((error) => pageError(error.status === 404 ? t("not_found") : error.message));
