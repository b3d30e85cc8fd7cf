// The organizers' fraud view of a public vote: per entry its hourly timeline, peak, new-account
// share, top library and flags; addresses and libraries; the ballots behind any of them, voided
// with a reason; the thresholds; publishing the list once voting has closed.
import { api, list } from "../api.js";
import { formatDateTime, formatNumber, formatTime, t } from "../i18n.js";
import { busy, failed, organizerOnly, showOutcome } from "../organize.js";
import "../strings/organize.js";
import "../strings/voting.js";
import { clearErrors, clone, field, fill, showErrors, start } from "../ui.js";

const id = document.body.dataset.voteId;
const base = `/api/public-votes/${id}`;
const SVG = "http://www.w3.org/2000/svg";
const THRESHOLDS = [
  "burst_votes",
  "burst_minutes",
  "new_account_days",
  "new_account_ratio",
  "library_ratio",
  "address_votes",
  "flag_min_votes",
];
let ballotsQuery = null;

function flags(cell, names, prefix = "fraud_flag_") {
  cell.replaceChildren(
    ...names.map((name) => {
      const flag = document.createElement("span");
      flag.className = "flag";
      flag.textContent = t(`${prefix}${name}`);
      return flag;
    }),
  );
}

// One bar per hour, drawn as SVG attributes (no inline style under the CSP).
function timeline(svgHost, hours) {
  const svg = document.createElementNS(SVG, "svg");
  svg.classList.add("timeline");
  const width = Math.max(hours.length, 1) * 5;
  svg.setAttribute("viewBox", `0 0 ${width} 20`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", hours.map((h) => `${formatTime(h.hour)}: ${h.votes}`).join(", "));
  const top = Math.max(1, ...hours.map((h) => h.votes));
  hours.forEach((hour, index) => {
    const bar = document.createElementNS(SVG, "rect");
    const height = Math.max(1, Math.round((hour.votes / top) * 20));
    bar.setAttribute("x", String(index * 5));
    bar.setAttribute("y", String(20 - height));
    bar.setAttribute("width", "4");
    bar.setAttribute("height", String(height));
    svg.append(bar);
  });
  svgHost.replaceChildren(svg);
}

function entryRow(report, entry) {
  const row = fill(clone("fraud-entry-row"), {
    title: entry.title,
    category: entry.category,
    votes: entry.votes,
    voided: entry.voided,
    peak: entry.peak.votes
      ? t("fraud_peak_value", {
          votes: entry.peak.votes,
          minutes: report.thresholds.burst_minutes,
          at: formatDateTime(entry.peak.at),
        })
      : "–",
    new_accounts: `${formatNumber(entry.new_account_ratio * 100, 0)} %`,
    top_library: entry.top_library
      ? `${entry.top_library.name || t("fraud_no_library")} (${formatNumber(entry.top_library.share * 100, 0)} %)`
      : "–",
  });
  const host = document.createElement("span");
  field(row, "timeline").replaceWith(host);
  timeline(host, entry.timeline);
  flags(field(row, "flags"), entry.flags);
  row.dataset.entry = entry.entry;
  row.querySelector("[data-action='ballots']").addEventListener("click", () =>
    showBallots({ entry: entry.entry }, entry.title),
  );
  return row;
}

function addressRow(address) {
  const row = fill(clone("fraud-address-row"), {
    address: address.address,
    votes: address.votes,
    entries: address.entries,
  });
  flags(field(row, "flags"), address.flagged ? ["address"] : []);
  row.querySelector("[data-action='ballots']").addEventListener("click", () =>
    showBallots({ address: address.address }, address.address),
  );
  return row;
}

async function showReport() {
  const report = await api(`${base}/fraud/`);
  document.getElementById("fraud-totals").textContent = t("fraud_totals", {
    counted: report.counted,
    voided: report.voided,
  });
  document.querySelector("#fraud-entries tbody").replaceChildren(...report.entries.map((e) => entryRow(report, e)));
  document.querySelector("#fraud-addresses tbody").replaceChildren(...report.addresses.map(addressRow));
  document.getElementById("fraud-libraries").replaceChildren(
    ...report.libraries.map((library) => {
      const item = document.createElement("li");
      item.textContent = t("fraud_library_votes", { name: library.name ?? t("fraud_no_library"), votes: library.votes });
      return item;
    }),
  );
}

async function showBallots(query, label) {
  ballotsQuery = query;
  const page = await list(`${base}/ballots/`, { ...query, page_size: 200 });
  document.getElementById("ballots-filter").textContent = `— ${label}`;
  document.querySelector("#ballots tbody").replaceChildren(
    ...page.results.map((ballot) => {
      const row = fill(clone("ballot-row"), {
        voter: ballot.voter,
        library: ballot.library,
        title: ballot.title,
        cast_at: formatDateTime(ballot.cast_at),
        state: ballot.voided_at ? t("fraud_voided_reason", { reason: ballot.void_reason }) : t("fraud_counting"),
      });
      const pick = field(row, "pick");
      pick.value = ballot.id;
      pick.disabled = Boolean(ballot.voided_at);
      pick.setAttribute("aria-label", `${t("fraud_pick")} ${ballot.voter}`);
      return row;
    }),
  );
  const panel = document.getElementById("ballots-panel");
  panel.hidden = false;
  panel.scrollIntoView();
}

function wire(vote) {
  const thresholds = document.getElementById("thresholds-form");
  for (const name of THRESHOLDS) thresholds.elements[name].value = vote[name];
  thresholds.elements.counts_while_open.checked = vote.counts_while_open;
  thresholds.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = { counts_while_open: thresholds.elements.counts_while_open.checked };
    for (const name of THRESHOLDS) body[name] = thresholds.elements[name].value;
    busy(thresholds.querySelector("button[type=submit]"), async () => {
      try {
        await api(`${base}/`, { method: "PATCH", body });
        clearErrors(thresholds);
        showOutcome(document.getElementById("thresholds-outcome"), t("fraud_saved"));
        await showReport();
      } catch (error) {
        showErrors(thresholds, error);
      }
    });
  });

  const voidForm = document.getElementById("void-form");
  voidForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const ballots = [...voidForm.querySelectorAll("input[name=ballots]:checked")].map((box) => Number(box.value));
    busy(voidForm.querySelector("button[type=submit]"), async () => {
      try {
        const done = await api(`${base}/void/`, {
          method: "POST",
          body: { ballots, reason: voidForm.elements.reason.value },
        });
        clearErrors(voidForm);
        showOutcome(document.getElementById("void-outcome"), t("fraud_void_done", { count: done.voided }));
        await showReport();
        await showBallots(ballotsQuery, document.getElementById("ballots-filter").textContent.slice(2));
      } catch (error) {
        showErrors(voidForm, error);
      }
    });
  });

  const publish = document.getElementById("publish-form");
  publish.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(publish.querySelector("button[type=submit]"), async () => {
      try {
        const done = await api(`${base}/publish/`, { method: "POST" });
        clearErrors(publish);
        showOutcome(
          document.getElementById("publish-outcome"),
          t("fraud_published", { counted: done.counted, voided: done.voided }),
        );
      } catch (error) {
        showErrors(publish, error);
      }
    });
  });
}

async function show() {
  const me = await start({ title: "fraud_title" });
  if (!organizerOnly(me)) return;
  const vote = await api(`${base}/`);
  document.getElementById("vote-title").textContent = vote.title;
  document.getElementById("vote-window").textContent = t("vote_window", {
    opens: formatDateTime(vote.opens_at),
    closes: formatDateTime(vote.closes_at),
  });
  document.getElementById("gallery-link").href = `/votes/${id}/`;
  wire(vote);
  await showReport();
  document.getElementById("fraud").hidden = false;
}

show().catch(failed);
