// The people's choice: the gallery of entries in the vote, each with a vote button whose state
// says what the reader can do (open it first, vote, move their vote, why not), and once
// published, the list with how many votes were counted and voided.
import { api, list } from "../api.js";
import { formatDateTime, t } from "../i18n.js";
import "../strings/voting.js";
import { clearErrors, clone, field, fill, pageError, showErrors, start } from "../ui.js";

const id = document.body.dataset.voteId;
const gallery = document.getElementById("gallery");
const select = document.getElementById("category");
const more = document.getElementById("more");
const voteError = document.getElementById("vote-error");
const cards = new Map(); // entry id -> { item, card }
let vote = null;
let next = null;

function ballotIn(category) {
  return vote.me.ballots.find((ballot) => ballot.category === category) ?? null;
}

// What the button offers, as [state, enabled]; the first reason that applies wins.
function buttonState(item) {
  if (vote.state === "upcoming") return ["upcoming", false];
  if (vote.state !== "open") return ["closed", false];
  if (!vote.me.signed_in) return ["signin", true];
  if (vote.me.refusal === "email_unverified") return ["unverified", false];
  if (vote.me.refusal === "library_not_taking_part") return ["not_taking_part", false];
  if (vote.me.refusal) return ["closed", false];
  const ballot = ballotIn(item.category.id);
  if (ballot?.voided) return ["voided", false];
  if (ballot?.entry === item.entry) return ["mine", false];
  if (!item.viewed) return ["open_first", false];
  return ballot ? ["change", true] : ["vote", true];
}

function showButton({ item, card }) {
  const button = card.querySelector("[data-action='vote']");
  const [state, enabled] = buttonState(item);
  button.dataset.state = state;
  button.textContent = t(`vote_button_${state}`);
  button.disabled = !enabled;
  button.setAttribute("aria-pressed", String(state === "mine"));
  const votes = field(card, "votes");
  votes.hidden = item.votes === null;
  votes.textContent = item.votes === null ? "" : t("vote_count", { count: item.votes });
}

async function toggleEntry(entry) {
  const { item, card } = entry;
  const opener = card.querySelector("[data-action='open']");
  const body = field(card, "body");
  const video = field(card, "video");
  const open = opener.getAttribute("aria-expanded") !== "true";
  if (open && !entry.loaded) {
    // Opening it while signed in is what the server records as "seen": the vote may follow.
    const detail = await api(`/api/public-votes/${id}/entries/${item.entry}/`);
    body.textContent = detail.body;
    if (detail.video_url) video.querySelector("a").href = detail.video_url;
    entry.hasVideo = Boolean(detail.video_url);
    item.viewed = detail.viewed;
    entry.loaded = true;
  }
  body.hidden = !open || !body.textContent;
  video.hidden = !open || !entry.hasVideo;
  opener.setAttribute("aria-expanded", String(open));
  opener.textContent = t(open ? "vote_close" : "vote_open");
  showButton(entry);
}

async function castVote(entry, button) {
  if (button.dataset.state === "signin") {
    window.location.assign(`/signin/?next=${encodeURIComponent(window.location.pathname)}`);
    return;
  }
  const { item } = entry;
  voteError.hidden = true;
  button.disabled = true;
  button.textContent = t("vote_button_sending");
  try {
    const ballot = await api(`/api/public-votes/${id}/ballot/`, { method: "PUT", body: { entry: item.entry } });
    const category = item.category.id;
    vote.me.ballots = vote.me.ballots.filter((each) => each.category !== category);
    vote.me.ballots.push({ category, entry: ballot.entry, voided: false, cast_at: ballot.cast_at });
    for (const other of cards.values()) {
      if (other.item.category.id !== category) continue;
      const was = other.item.my_vote;
      other.item.my_vote = other.item.entry === ballot.entry;
      if (other.item.votes !== null && was !== other.item.my_vote) other.item.votes += other.item.my_vote ? 1 : -1;
      showButton(other);
    }
    voteError.textContent = t(ballot.outcome === "changed" ? "vote_changed" : "vote_done", { title: item.title });
    voteError.className = "ok";
    voteError.hidden = false;
  } catch (error) {
    voteError.className = "error";
    voteError.textContent = error.message;
    voteError.hidden = false;
    showButton(entry);
  }
}

function card(item) {
  const element = fill(clone("gallery-card"), {
    category: item.category.name,
    title: item.title,
    entrant: item.entrant,
    library: item.library,
    book: `${item.book_title} — ${item.book_author}`,
  });
  const entry = { item, card: element, loaded: false, hasVideo: item.has_video };
  cards.set(item.entry, entry);
  element.querySelector("[data-action='open']").addEventListener("click", () => {
    toggleEntry(entry).catch((error) => pageError(error.message));
  });
  const button = element.querySelector("[data-action='vote']");
  button.addEventListener("click", () => castVote(entry, button));
  showButton(entry);
  return element;
}

async function load(pageOrQuery) {
  const page =
    typeof pageOrQuery === "string" ? await list(pageOrQuery) : await list(`/api/public-votes/${id}/entries/`, pageOrQuery);
  gallery.append(...page.results.map(card));
  next = page.next;
  more.hidden = !next;
  document.getElementById("gallery-empty").hidden = gallery.children.length > 0;
}

async function showResults() {
  const results = await api(`/api/public-votes/${id}/results/`);
  document.getElementById("results-counts").textContent = t("vote_counts", {
    counted: results.counted,
    voided: results.voided,
  });
  document.querySelector("#vote-results tbody").replaceChildren(
    ...results.results.map((row) =>
      fill(clone("result-row"), {
        rank: row.rank,
        title: row.title,
        entrant: row.entrant,
        category: row.category.name,
        votes: row.votes,
        prize: row.prize ? results.prize_name : "",
      }),
    ),
  );
  document.getElementById("results-section").hidden = false;
}

function showReader() {
  if (!vote.me.signed_in && vote.state === "open") {
    const notice = document.getElementById("vote-signin");
    notice.querySelector("a").href = `/signin/?next=${encodeURIComponent(window.location.pathname)}`;
    notice.hidden = false;
  }
  if (vote.me.refusal === "email_unverified") {
    const form = document.getElementById("confirm-form");
    field(form, "refusal").textContent = vote.me.refusal_message;
    form.hidden = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = document.getElementById("confirm-send");
      button.disabled = true;
      try {
        await api("/api/auth/email/confirmation/", { method: "POST" });
        clearErrors(form);
        document.getElementById("confirm-sent").hidden = false;
      } catch (error) {
        showErrors(form, error);
      } finally {
        button.disabled = false;
      }
    });
  } else if (vote.me.refusal && vote.state === "open") {
    const notice = document.getElementById("vote-refusal");
    notice.textContent = vote.me.refusal_message;
    notice.hidden = false;
  }
}

async function show() {
  await start({ title: "vote_page" });
  vote = await api(`/api/public-votes/${id}/`);
  document.getElementById("vote-title").textContent = vote.title;
  document.title = `${vote.title} — ${t("site_name")}`;
  document.getElementById("vote-description").textContent = vote.description;
  document.getElementById("vote-window").textContent = t("vote_window", {
    opens: formatDateTime(vote.opens_at),
    closes: formatDateTime(vote.closes_at),
  });
  document.getElementById("vote-state").textContent = t(`vote_state_${vote.state}`);
  document.getElementById("contest-link").href = `/contests/${vote.contest}/`;
  for (const category of vote.categories) {
    const option = document.createElement("option");
    option.value = category.id;
    option.textContent = category.name;
    select.append(option);
  }
  showReader();
  if (vote.state === "published") await showResults();
  await load({ page_size: 50 });
}

select.addEventListener("change", async () => {
  gallery.replaceChildren();
  cards.clear();
  await load({ category: select.value, page_size: 50 }).catch((error) => pageError(error.message));
});
document.getElementById("filters").addEventListener("submit", (event) => event.preventDefault());
more.addEventListener("click", () => load(next).catch((error) => pageError(error.message)));

show().catch((error) => pageError(error.status === 404 ? t("not_found") : error.message));
