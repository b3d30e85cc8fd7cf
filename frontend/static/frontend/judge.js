// What the judges' two pages share: their whole queue (every page of it) and times of day in
// Vietnam time.
import { list } from "./api.js";
import { locale } from "./i18n.js";

export async function assignmentsAll(query = {}) {
  const all = [];
  let page = await list("/api/assignments/", { ...query, page_size: 200 });
  all.push(...page.results);
  while (page.next) {
    page = await list(page.next);
    all.push(...page.results);
  }
  return all;
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
