// What the organizers' pages share: a progress bar, the guard for visitors who are not
// organizers, Vietnam time for a datetime-local input, and how an action shows it is busy or failed.
import { t } from "./i18n.js";
import { askToSignIn, pageError } from "./ui.js";

export const ORGANIZER_ROLES = ["network_organizer", "platform_organizer"];

export function isOrganizer(me) {
  return Boolean(me) && me.roles.some((role) => ORGANIZER_ROLES.includes(role));
}

// Not signed in, or signed in without the role: say so, with a way to sign in; false then.
export function organizerOnly(me) {
  if (isOrganizer(me)) return true;
  askToSignIn("organize-signin");
  return false;
}

// A <progress> (its value and max are attributes: no inline style under the CSP) and its text.
export function progressBar(element, done, total) {
  const bar = element.querySelector("progress");
  bar.max = Math.max(total, 1);
  bar.value = done;
  bar.setAttribute("aria-valuetext", t("organize_done_total", { done, total }));
  const text = element.querySelector("[data-field='count']");
  if (text) text.textContent = t("organize_done_total", { done, total });
  element.classList.toggle("complete", total > 0 && done >= total);
}

// "2026-12-01T09:30" typed in a datetime-local input means Vietnam time (UTC+07:00, no
// daylight saving), whatever the clock of the browser.
export function vietnamInputToIso(value) {
  if (!value) return null;
  const withSeconds = value.length === 16 ? `${value}:00` : value;
  return `${withSeconds}+07:00`;
}

// An empty table is left out, frame and all; the page's "none yet" line says so instead.
export function tableShown(id, shown) {
  const table = document.getElementById(id);
  (table.closest(".table-wrap") ?? table).hidden = !shown;
}

export function showOutcome(slot, message) {
  slot.textContent = message;
  slot.hidden = !message;
}

export function failed(error) {
  pageError(error.status === 404 ? t("not_found") : error.message);
}

// A button that sends a request is disabled while it runs, so a double click sends one.
export async function busy(button, work) {
  button.disabled = true;
  try {
    return await work();
  } finally {
    button.disabled = false;
  }
}
