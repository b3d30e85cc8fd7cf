import { api } from "../api.js";
import { formatDateTime, formatNumber, t } from "../i18n.js";
import "../strings/student.js";
import { clone, contestId, field, fill, pageError, start, statusLabel } from "../ui.js";
import { showPublicVoteLinks } from "../voting_links.js";

start();

function countdown(closesAt, status) {
  const slot = document.getElementById("countdown");
  const tick = () => {
    if (status !== "open") {
      slot.textContent = t("countdown_not_open");
      return false;
    }
    const left = Math.floor((new Date(closesAt) - Date.now()) / 1000);
    if (left <= 0) {
      slot.textContent = t("countdown_over");
      return false;
    }
    slot.textContent = t("countdown", {
      d: Math.floor(left / 86400),
      h: Math.floor((left % 86400) / 3600),
      m: Math.floor((left % 3600) / 60),
      s: left % 60,
    });
    return true;
  };
  if (tick()) {
    const timer = setInterval(() => tick() || clearInterval(timer), 1000);
  }
}

function categoryRow(category) {
  const row = clone("category-row");
  const files = category.formats.includes("file")
    ? t("files_rule", {
        types: category.allowed_file_types.map((type) => type.toUpperCase()).join(", "),
        mb: category.max_file_mb,
      })
    : "–";
  return fill(row, {
    name: category.name,
    formats: category.formats.map((format) => t(`format_${format}`)).join(", "),
    max_words: category.max_words ? formatNumber(category.max_words, 0) : t("no_limit"),
    files,
    max_entries: category.max_entries_per_entrant ?? t("no_limit"),
  });
}

function roundItem(round) {
  const item = clone("round-item");
  // A round "scores" from its creation on; only its end says something to the public.
  field(item, "status").hidden = round.status !== "closed";
  return fill(item, {
    name: round.name,
    status: t(`round_status_${round.status}`),
    criteria: round.criteria.length
      ? t("criteria", {
          list: round.criteria.map((c) => `${c.name} (${formatNumber(c.max_score)})`).join(", "),
        })
      : "",
  });
}

function tierItem(tier) {
  return fill(clone("tier-item"), {
    name: tier.name,
    quota: t("tier_quota", { quota: tier.quota, points: tier.points }),
  });
}

async function show() {
  const contest = await api(`/api/contests/${contestId()}/`);
  document.title = `${contest.title} — ${t("site_name")}`;
  const article = document.getElementById("contest");
  fill(article, {
    title: contest.title,
    status: statusLabel(contest.status),
    network: contest.network_name,
    closes: formatDateTime(contest.submission_closes_at),
    opens: formatDateTime(contest.submission_opens_at),
    "closes-short": formatDateTime(contest.submission_closes_at),
    description: contest.description,
  });
  field(article, "closes").setAttribute("datetime", contest.submission_closes_at);
  countdown(contest.submission_closes_at, contest.status);
  if (contest.status === "open" && new Date(contest.submission_closes_at) > Date.now()) {
    document.getElementById("submit-link-line").hidden = false;
    document.getElementById("submit-link").href = `/my/entries/?contest=${contest.id}`;
  }
  if (["published", "archived"].includes(contest.status)) {
    document.getElementById("result-links").hidden = false;
    document.getElementById("results-link").href = `/contests/${contest.id}/results/`;
    document.getElementById("leaderboard-link").href = `/contests/${contest.id}/leaderboard/`;
  }
  document.querySelector("#categories tbody").append(...contest.categories.map(categoryRow));
  document.getElementById("rounds").append(...contest.rounds.map(roundItem));
  const tiers = [...contest.prize_tiers].sort((a, b) => a.rank - b.rank);
  document.getElementById("prize-tiers").append(...tiers.map(tierItem));
  article.hidden = false;
  await showPublicVoteLinks(contest.id, "public-vote-links", (vote) => `/votes/${vote.id}/`);
}

show().catch((error) => pageError(error.status === 404 ? t("not_found") : error.message));
