// What every page shares: the header (language switch, who is signed in), filling
// <template> clones with textContent only, and API errors shown next to their fields.
import { api, ApiError } from "./api.js";
import { lang, setLang, t, translate } from "./i18n.js";

export function clone(id) {
  const element = document.getElementById(id).content.firstElementChild.cloneNode(true);
  translate(element);
  return element;
}

// Sets the text of the [data-field] elements of `root`; never HTML.
export function fill(root, values) {
  for (const [name, value] of Object.entries(values)) {
    const element = root.querySelector(`[data-field="${name}"]`);
    if (element) element.textContent = value ?? "";
  }
  return root;
}

export function field(root, name) {
  return root.querySelector(`[data-field="${name}"]`);
}

export function clearErrors(form) {
  for (const element of form.querySelectorAll("[data-error-for]")) {
    element.textContent = "";
    element.hidden = true;
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

// Every message lands next to its field; form-wide ones (detail, non_field_errors, fields the
// form does not show) in the form's [data-error-for="__all__"], or the page's error line.
export function showErrors(form, error) {
  clearErrors(form);
  const general = [];
  if (!(error instanceof ApiError)) {
    general.push(String(error?.message ?? error));
  } else {
    if (error.detail) general.push(error.detail);
    for (const [name, messages] of Object.entries(error.fields)) {
      const slot = form.querySelector(`[data-error-for="${name}"]`);
      if (slot) {
        slot.textContent = messages.join(" ");
        slot.hidden = false;
        form.querySelector(`[name="${name}"]`)?.setAttribute("aria-invalid", "true");
      } else {
        general.push(...messages);
      }
    }
  }
  if (general.length) {
    const slot = form.querySelector('[data-error-for="__all__"]');
    if (slot) {
      slot.textContent = general.join(" ");
      slot.hidden = false;
    } else {
      pageError(general.join(" "));
    }
  }
  form.querySelector('[aria-invalid="true"]')?.focus();
}

export function pageError(message) {
  const slot = document.getElementById("page-error");
  slot.textContent = message;
  slot.hidden = !message;
}

// A page for signed-in people, opened by someone who is not: its notice shows, and its link
// signs in and comes back here (query included: a chosen contest, a filter).
export function askToSignIn(noticeId) {
  const notice = document.getElementById(noticeId);
  const back = window.location.pathname + window.location.search;
  notice.querySelector("a").href = `/signin/?next=${encodeURIComponent(back)}`;
  notice.hidden = false;
}

export function contestId() {
  return document.body.dataset.contestId;
}

export function statusLabel(status) {
  return t(`status_${status}`);
}

async function showWhoIsSignedIn() {
  const who = document.getElementById("whoami");
  const signout = document.getElementById("signout");
  const signin = document.getElementById("signin-link");
  const register = document.getElementById("register-link");
  let me;
  try {
    me = await api("/api/auth/me/");
  } catch {
    return null; // not signed in: the sign-in link stays
  }
  who.textContent = me.full_name || me.username;
  who.hidden = false;
  signout.hidden = false;
  signin.hidden = true;
  register.hidden = true;
  // The menu links of the user's roles (data-role lists the roles a link is for).
  for (const link of document.querySelectorAll("nav [data-role]")) {
    link.hidden = !link.dataset.role.split(" ").some((role) => me.roles.includes(role));
  }
  signout.addEventListener("click", async () => {
    await api("/api/auth/logout/", { method: "POST" });
    window.location.assign("/");
  });
  return me;
}

function languageSwitch() {
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === lang()));
    button.addEventListener("click", () => {
      setLang(button.dataset.lang);
      // Reloading asks the API again with the new Accept-Language: its messages follow.
      window.location.reload();
    });
  }
}

// Every page's module calls this first; it resolves to the signed-in user, or null.
export function start({ title } = {}) {
  document.documentElement.lang = lang();
  translate();
  languageSwitch();
  if (title) document.title = `${t(title)} — ${t("site_name")}`;
  return showWhoIsSignedIn();
}
