import { api, listAll } from "../api.js";
import { formatDateTime, formatNumber } from "../i18n.js";
import { failed, organizerOnly, tableShown } from "../organize.js";
import "../strings/organize.js";
import { clone, field, fill, start, statusLabel } from "../ui.js";

function managedBy(me) {
  if (me.roles.includes("platform_organizer")) return () => true;
  const networks = new Set(me.organizes_networks);
  return (contest) => networks.has(contest.network);
}

async function contestRow(contest) {
  const row = clone("contest-row");
  fill(row, {
    title: contest.title,
    status: statusLabel(contest.status),
    closes: formatDateTime(contest.submission_closes_at),
    entries: "…",
  });
  field(row, "title").href = `/organize/contests/${contest.id}/`;
  field(row, "closes").setAttribute("datetime", contest.submission_closes_at);
  // One count per contest: a page of one row says how many there are.
  api("/api/entries/", { query: { contest: contest.id, page_size: 1 } })
    .then((page) => fill(row, { entries: formatNumber(page.count, 0) }))
    .catch(() => fill(row, { entries: "–" }));
  return row;
}

async function show(me) {
  if (!organizerOnly(me)) return;
  // Contests are created in the admin, which only the platform's organizers may use.
  document.getElementById("create-contest").hidden = !me.roles.includes("platform_organizer");
  const mine = (await listAll("/api/contests/", { ordering: "-submission_closes_at" })).filter(managedBy(me));
  const rows = await Promise.all(mine.map(contestRow));
  document.querySelector("#contests tbody").append(...rows);
  document.getElementById("contests-empty").hidden = rows.length > 0;
  tableShown("contests", rows.length > 0);
  document.getElementById("organize").hidden = false;
}

start({ title: "organize_title" })
  .then(show)
  .catch(failed);
