// What waits for the signed-in person, in words: one line per task of GET /api/me/home/.
import { api } from "./api.js";
import { formatDateTime, locale, t } from "./i18n.js";
import "./strings/guide.js";

const VIETNAM = "Asia/Ho_Chi_Minh";

// "30/11": the short date the lines use (Vietnam's calendar, whatever the reader's clock).
// Built from its parts: vi-VN alone writes "30-11".
export function shortDate(iso) {
  const parts = new Intl.DateTimeFormat(locale(), { timeZone: VIETNAM, day: "2-digit", month: "2-digit" })
    .formatToParts(new Date(iso));
  const part = (type) => parts.find((p) => p.type === type).value;
  return `${part("day")}/${part("month")}`;
}

export function taskText(task) {
  const text = t(`task_${task.kind}`, {
    count: task.count,
    contest: task.contest_title,
    round: task.round_name,
    done: task.done ?? 0,
    total: task.total ?? 0,
  });
  if (!task.due_at) return text;
  const suffix = task.kind === "student_in_judging" ? "expected_short" : "due_short";
  return text + t(suffix, { date: shortDate(task.due_at) });
}

export function homeRead() {
  return api("/api/me/home/");
}

// When a contest's results are expected, for the public pages before they are out: the
// publication set, else the last round's due date, else the stage in words.
export function resultsExpected(contest) {
  const due = contest.rounds
    .map((r) => r.due_at)
    .filter(Boolean)
    .sort()
    .at(-1);
  if (contest.publish_at) return t("results_expected_at", { date: formatDateTime(contest.publish_at) });
  if (["draft", "open"].includes(contest.status)) {
    return t("results_after_entries", { date: formatDateTime(contest.submission_closes_at) });
  }
  if (due) return t("results_expected_after", { date: formatDateTime(due) });
  return t("results_being_judged");
}
