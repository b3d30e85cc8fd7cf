// What the judges' two pages share: their whole queue (every page of it) and times of day in
// Vietnam time.
import { listAll } from "./api.js";
import { locale } from "./i18n.js";

export function assignmentsAll(query = {}) {
  return listAll("/api/assignments/", query);
}

export function timeOfDay(iso) {
  return new Intl.DateTimeFormat(locale(), {
    timeZone: "Asia/Ho_Chi_Minh",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(iso));
}

export function signinNeeded(path) {
  const section = document.getElementById("signin-needed");
  document.getElementById("judge-signin").href = `/signin/?next=${encodeURIComponent(path)}`;
  section.hidden = false;
}
