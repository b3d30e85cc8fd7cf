import { api, ApiError, list } from "../api.js";
import { t } from "../i18n.js";
import "../strings/student.js";
import { showFormErrors } from "../student.js";
import { clearErrors, clone, fill, start } from "../ui.js";

const form = document.getElementById("register-form");
const search = document.getElementById("library-search");
const listBox = document.getElementById("library-list");
const status = document.getElementById("library-status");
const chosenLine = document.getElementById("library-chosen");
const PAGE = 20;
let chosen = null; // the library picked, kept while the search changes the list
let asked = 0; // answers to earlier searches that arrive late are dropped

function option(library) {
  const item = clone("library-option");
  const radio = item.querySelector("input");
  radio.value = String(library.id);
  radio.id = `library-${library.id}`;
  radio.checked = chosen?.id === library.id;
  radio.addEventListener("change", () => {
    chosen = library;
    chosenLine.textContent = t("student_library_chosen", { name: library.name });
    chosenLine.hidden = false;
  });
  return fill(item, {
    name: library.name,
    short_name: library.short_name ? `(${library.short_name})` : "",
    network: library.network_name,
  });
}

async function libraries() {
  const mine = ++asked;
  const page = await list("/api/libraries/", { search: search.value.trim(), ordering: "name", page_size: PAGE });
  if (mine !== asked) return;
  const shown = [...page.results];
  if (chosen && !shown.some((library) => library.id === chosen.id)) shown.unshift(chosen);
  listBox.replaceChildren(...shown.map(option));
  if (page.count === 0) status.textContent = t("student_library_none");
  else if (page.count > page.results.length) status.textContent = t("student_library_more", { count: page.count });
  else status.textContent = t("student_library_results", { count: page.count });
}

function searchFailed(error) {
  status.textContent = error.message;
}

let timer;
search.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => libraries().catch(searchFailed), 250);
});
// Enter in the search box searches now; it does not send the form.
search.addEventListener("keydown", (event) => {
  if (event.key === "Enter") {
    event.preventDefault();
    clearTimeout(timer);
    libraries().catch(searchFailed);
  }
});

function missing(data) {
  const errors = {};
  for (const input of form.querySelectorAll("input[required]")) {
    if (!input.value.trim()) errors[input.name] = [t("field_required")];
  }
  if (!data.library) errors.library = [t("student_library_required")];
  return errors;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(form);
  const data = {
    full_name: form.elements.full_name.value,
    email: form.elements.email.value,
    username: form.elements.username.value,
    password: form.elements.password.value,
    library: chosen?.id ?? null,
  };
  const empty = missing(data);
  if (Object.keys(empty).length) {
    showFormErrors(form, new ApiError(400, empty));
    return;
  }
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    await api("/api/auth/register/", { method: "POST", body: data });
  } catch (error) {
    showFormErrors(form, error);
    button.disabled = false;
    return;
  }
  try {
    await api("/api/auth/login/", { method: "POST", body: { username: data.username, password: data.password } });
    window.location.assign("/my/entries/");
  } catch {
    // The account exists; should the sign-in fail (too many attempts), the sign-in page takes over.
    window.location.assign("/signin/?next=/my/entries/");
  }
});

start({ title: "student_register_title" }).then((me) => {
  if (me) {
    document.getElementById("already").hidden = false;
    form.hidden = true;
    return;
  }
  libraries().catch(searchFailed);
});
