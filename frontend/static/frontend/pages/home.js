import { list } from "../api.js";
import { formatDate, formatDateTime, t } from "../i18n.js";
import { homeRead, taskText } from "../guide.js";
import { clone, field, fill, pageError, start, statusLabel } from "../ui.js";

const signedIn = start({ title: "home_title" });

// Signed in: what waits for the person, each line a link to where it is done.
async function waiting() {
  if (!(await signedIn)) return;
  const home = await homeRead();
  const list = document.getElementById("waiting-tasks");
  for (const task of home.tasks) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = task.url;
    link.textContent = taskText(task);
    item.dataset.kind = task.kind;
    item.append(link);
    list.append(item);
  }
  document.getElementById("waiting-empty").hidden = home.tasks.length > 0;
  document.getElementById("your-area").href = home.landing;
  document.getElementById("waiting-section").hidden = false;
}

waiting().catch((error) => pageError(error.message));

function card(contest) {
  const item = clone("contest-card");
  fill(item, { title: contest.title, status: statusLabel(contest.status), network: contest.network_name });
  item.dataset.contest = contest.id;
  item.dataset.status = contest.status;
  field(item, "title").href = `/contests/${contest.id}/`;
  const published = ["published", "archived"].includes(contest.status);
  field(item, "when").textContent =
    published && contest.published_at
      ? t("published_on", { date: formatDate(contest.published_at) })
      : t("closes_on", { date: formatDateTime(contest.submission_closes_at) });
  if (published) {
    field(item, "links").hidden = false;
    field(item, "results").href = `/contests/${contest.id}/results/`;
    field(item, "leaderboard").href = `/contests/${contest.id}/leaderboard/`;
  }
  return item;
}

async function contests(...statuses) {
  const pages = await Promise.all(statuses.map((status) => list("/api/contests/", { status, page_size: 50 })));
  return pages.flatMap((page) => page.results);
}

async function show() {
  const [open, judging, published] = await Promise.all([
    contests("open"),
    contests("closed", "judging"),
    contests("published", "archived"),
  ]);
  document.getElementById("open-contests").append(...open.map(card));
  document.getElementById("open-empty").hidden = open.length > 0;
  document.getElementById("judging-contests").append(...judging.map(card));
  document.getElementById("judging-section").hidden = judging.length === 0;
  published.sort((a, b) => (b.published_at ?? "").localeCompare(a.published_at ?? ""));
  document.getElementById("published-contests").append(...published.map(card));
  document.getElementById("published-empty").hidden = published.length > 0;
}

show()
  .catch((error) => pageError(error.message))
  .finally(() => document.querySelector(".loading").remove());
