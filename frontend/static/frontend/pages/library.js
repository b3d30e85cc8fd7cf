// The library staff's page: one contest and one of their libraries at a time; the library's
// figures and entries, paper entries typed in or imported from a CSV, the certificates.
import "../strings/library.js";
import { api, ApiError, list, listAll, SendKey } from "../api.js";
import { formatDateTime, formatNumber, t } from "../i18n.js";
import { askToSignIn, clearErrors, clone, fill, pageError, showErrors, start, statusLabel } from "../ui.js";

const CONTEST_STATUSES = ["open", "closed", "judging", "published"];
// The CSV's columns, as submissions.imports.CSV_COLUMNS reads them.
const CSV_COLUMNS = [
  "category",
  "entrant_full_name",
  "entrant_email",
  "title",
  "book_title",
  "book_author",
  "book_publisher",
  "book_year",
  "book_isbn",
  "body",
];

const $ = (id) => document.getElementById(id);
const state = { contests: [], contest: null, libraries: [], library: null, entriesNext: null };

function option(value, text) {
  const element = document.createElement("option");
  element.value = String(value);
  element.textContent = text;
  return element;
}

// The choice is kept in the address, so that a reload (or the language switch) keeps it.
function remember() {
  const url = new URL(window.location.href);
  url.searchParams.set("contest", state.contest.id);
  url.searchParams.set("library", state.library.id);
  window.history.replaceState(null, "", url);
}

// --- figures -----------------------------------------------------------------------------------

async function showSummary() {
  const summary = await api(`/api/contests/${state.contest.id}/library_summary/`, {
    query: { library: state.library.id },
  });
  const section = $("summary");
  const contest = state.contest;
  fill(section, {
    library: summary.library.name,
    status: statusLabel(contest.status),
    deadline: t("library_deadline", { date: formatDateTime(contest.submission_closes_at) }),
    members: formatNumber(summary.members, 0),
    entrants: formatNumber(summary.entrants, 0),
    entries: formatNumber(summary.entries, 0),
  });
  const rows = summary.by_category.map((row) =>
    fill(clone("category-count-row"), { name: row.name, entries: formatNumber(row.entries, 0) }),
  );
  document.querySelector("#by-category tbody").replaceChildren(...rows);
  $("by-category-wrap").hidden = rows.length === 0;
  $("by-category-empty").hidden = rows.length > 0;
}

// --- entries -----------------------------------------------------------------------------------

function entryRow(entry) {
  return fill(clone("entry-row"), {
    code: entry.code,
    entrant: entry.entrant.full_name,
    category: entry.category_name,
    title: entry.title,
    status: t(`library_entry_status_${entry.status}`),
    kind: entry.is_paper ? t("library_paper") : t("library_online"),
  });
}

async function loadEntries(next) {
  const body = document.querySelector("#entries tbody");
  let page;
  if (next) {
    page = await list(next);
  } else {
    const filters = Object.fromEntries(new FormData($("entries-filter")));
    page = await list("/api/entries/", {
      contest: state.contest.id,
      library: state.library.id,
      page_size: 50,
      ...filters,
    });
    body.replaceChildren();
    $("entries-count").textContent = t("library_entries_count", { count: formatNumber(page.count, 0) });
    $("entries-empty").hidden = page.count > 0;
  }
  body.append(...page.results.map(entryRow));
  state.entriesNext = page.next;
  $("entries-more").hidden = !page.next;
}

// --- paper entries -----------------------------------------------------------------------------

function categoryHint() {
  const category = state.contest.categories.find((c) => String(c.id) === $("paper-category").value);
  $("paper-category-hint").textContent = category
    ? t("library_category_formats", { formats: category.formats.map((f) => t(`format_${f}`)).join(", ") })
    : "";
}

function prepareForms() {
  const categories = state.contest.categories;
  $("paper-category").replaceChildren(...categories.map((c) => option(c.id, c.name)));
  $("filter-category").replaceChildren(
    option("", t("library_filter_all")),
    ...categories.map((c) => option(c.id, c.name)),
  );
  categoryHint();
  const open = state.contest.status === "open";
  $("not-open").hidden = open;
  $("paper-section").hidden = !open;
  $("import-section").hidden = !open;
  for (const form of [$("paper-form"), $("import-form")]) clearErrors(form);
  $("paper-done").hidden = true;
  $("import-done").hidden = true;
  $("import-rejected").hidden = true;
}

// A paper entry or an import sent again after its answer was lost must not be made twice.
const paperKey = new SendKey();
const importKey = new SendKey();

async function registerPaperEntry(event) {
  event.preventDefault();
  const form = $("paper-form");
  clearErrors(form);
  $("paper-done").hidden = true;
  // Empty optional fields are left out: the API then takes its defaults (no year, no e-mail).
  const data = new FormData();
  for (const [name, value] of new FormData(form)) {
    if (value instanceof File ? value.size > 0 || value.name : value.trim() !== "") data.append(name, value);
  }
  data.append("library", state.library.id);
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const entry = await api(`/api/contests/${state.contest.id}/paper_entries/`, {
      method: "POST",
      body: data,
      headers: { "Idempotency-Key": paperKey.get() },
    });
    paperKey.settle();
    form.reset();
    $("paper-category").value = String(entry.category);
    categoryHint();
    const done = $("paper-done");
    done.textContent = t("library_paper_done", { code: entry.code, name: entry.entrant.full_name });
    done.hidden = false;
    await Promise.all([showSummary(), loadEntries()]);
  } catch (error) {
    paperKey.settle(error);
    showErrors(form, error);
  } finally {
    button.disabled = false;
  }
}

// --- CSV import --------------------------------------------------------------------------------

function importReport(rows) {
  const lines = [];
  for (const { row, errors } of rows) {
    for (const [field, messages] of Object.entries(errors)) {
      for (const message of messages) {
        lines.push(
          fill(clone("import-row"), {
            row: String(row),
            field: field === "detail" ? t("library_import_whole_row") : field,
            message,
          }),
        );
      }
    }
  }
  return lines;
}

async function importCsv(event) {
  event.preventDefault();
  const form = $("import-form");
  clearErrors(form);
  $("import-done").hidden = true;
  $("import-rejected").hidden = true;
  const file = $("import-file").files[0];
  if (!file) {
    showErrors(form, new ApiError(400, { file: [t("field_required")] }));
    return;
  }
  const data = new FormData();
  data.append("library", state.library.id);
  data.append("file", file);
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const answer = await api(`/api/contests/${state.contest.id}/paper_entries/import/`, {
      method: "POST",
      body: data,
      headers: { "Idempotency-Key": importKey.get() },
    });
    importKey.settle();
    const done = $("import-done");
    done.textContent = t("library_import_done", { count: formatNumber(answer.imported, 0) });
    done.hidden = false;
    form.reset();
    await Promise.all([showSummary(), loadEntries()]);
  } catch (error) {
    importKey.settle(error);
    if (error instanceof ApiError && Array.isArray(error.body.rows)) {
      // A file with bad rows imports nothing: the report lists each bad row by its line.
      $("import-detail").textContent = error.detail ?? "";
      document.querySelector("#import-rows tbody").replaceChildren(...importReport(error.body.rows));
      $("import-rejected").hidden = false;
    } else {
      showErrors(form, error);
    }
  } finally {
    button.disabled = false;
  }
}

// --- certificates ------------------------------------------------------------------------------

function certificateRow(certificate) {
  const row = fill(clone("certificate-row"), {
    holder: certificate.holder_name,
    award: certificate.award,
    code: certificate.code,
    state: certificate.revoked_at
      ? t("library_certificate_revoked")
      : certificate.pdf
        ? ""
        : t("library_certificate_preparing"),
  });
  const link = row.querySelector(".pdf a");
  if (certificate.pdf && !certificate.revoked_at) {
    link.href = certificate.pdf;
    link.setAttribute("aria-label", `${t("library_certificate_download")}: ${certificate.holder_name}`);
  } else {
    link.remove();
  }
  return row;
}

async function showCertificates() {
  // A library's certificates in one contest are few: all pages are read, and a staff member of
  // several libraries sees the chosen one's.
  const all = await listAll("/api/certificates/", { contest: state.contest.id });
  const mine = all.filter((certificate) => certificate.library === state.library.id);
  $("certificates-empty").hidden = mine.length > 0;
  $("certificates-present").hidden = mine.length === 0;
  $("certificates-zip").href =
    `/api/contests/${state.contest.id}/certificates/zip/?library=${encodeURIComponent(state.library.id)}`;
  $("certificates-count").textContent = t("library_certificates_count", { count: formatNumber(mine.length, 0) });
  document.querySelector("#certificates tbody").replaceChildren(...mine.map(certificateRow));
}

// --- choosing ----------------------------------------------------------------------------------

async function showChosen() {
  pageError("");
  prepareForms();
  $("entries-filter").reset();
  remember();
  await Promise.all([showSummary(), loadEntries(), showCertificates()]);
}

async function contestsForStaff() {
  const pages = await Promise.all(
    CONTEST_STATUSES.map((status) => list("/api/contests/", { status, page_size: 100 })),
  );
  return pages.flatMap((page) => page.results);
}

// A contest draws on the libraries of its network and of the networks below it: a library takes
// part when the contest's network is its own or one above it.
const networks = new Map();
async function networkChain(id) {
  const chain = new Set();
  for (let current = id; current !== null && !chain.has(current); ) {
    chain.add(current);
    if (!networks.has(current)) networks.set(current, api(`/api/networks/${current}/`));
    current = (await networks.get(current)).parent;
  }
  return chain;
}

function takingPart(contest) {
  return state.libraries.filter((library) => library.networks.has(contest.network));
}

function fillLibraries() {
  const librarySelect = $("library-select");
  const candidates = takingPart(state.contest);
  if (!candidates.includes(state.library)) state.library = candidates[0];
  librarySelect.replaceChildren(...candidates.map((l) => option(l.id, l.name)));
  librarySelect.value = String(state.library.id);
  $("library-pick").hidden = candidates.length < 2;
}

async function main() {
  const me = await start({ title: "library_title" });
  if (!me) {
    askToSignIn("library-signin");
    return;
  }
  if (!me.staff_of_libraries.length) {
    $("library-not-staff").hidden = false;
    return;
  }
  const [all, libraries] = await Promise.all([
    contestsForStaff(),
    Promise.all(
      me.staff_of_libraries.map(async (id) => {
        const library = await api(`/api/libraries/${id}/`);
        return { ...library, networks: await networkChain(library.network) };
      }),
    ),
  ]);
  state.libraries = libraries;
  const contests = all.filter((contest) => takingPart(contest).length > 0);
  if (!contests.length) {
    $("library-no-contests").hidden = false;
    return;
  }
  state.contests = contests;
  const wanted = new URLSearchParams(window.location.search);
  state.contest = contests.find((c) => String(c.id) === wanted.get("contest")) ?? contests[0];
  state.library = libraries.find((l) => String(l.id) === wanted.get("library")) ?? libraries[0];

  const contestSelect = $("contest-select");
  contestSelect.replaceChildren(
    ...contests.map((c) => option(c.id, `${c.title} (${statusLabel(c.status)})`)),
  );
  contestSelect.value = String(state.contest.id);
  fillLibraries();

  contestSelect.addEventListener("change", () => {
    state.contest = contests.find((c) => String(c.id) === contestSelect.value);
    fillLibraries();
    showChosen().catch((error) => pageError(error.message));
  });
  $("library-select").addEventListener("change", () => {
    state.library = libraries.find((l) => String(l.id) === $("library-select").value);
    showChosen().catch((error) => pageError(error.message));
  });
  $("choose").addEventListener("submit", (event) => event.preventDefault());
  $("entries-filter").addEventListener("submit", (event) => {
    event.preventDefault();
    loadEntries().catch((error) => showErrors($("entries-filter"), error));
  });
  $("entries-more").addEventListener("click", () => {
    if (state.entriesNext) loadEntries(state.entriesNext).catch((error) => pageError(error.message));
  });
  $("paper-category").addEventListener("change", categoryHint);
  $("paper-form").addEventListener("submit", registerPaperEntry);
  $("import-form").addEventListener("submit", importCsv);
  for (const [id, key] of [["paper-form", paperKey], ["import-form", importKey]]) {
    $(id).addEventListener("input", () => key.forget());
    $(id).addEventListener("change", () => key.forget());
  }
  $("import-columns").textContent = CSV_COLUMNS.join(",");

  $("library-app").hidden = false;
  await showChosen();
}

main().catch((error) => pageError(error.message));
