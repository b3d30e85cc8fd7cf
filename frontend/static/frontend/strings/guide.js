// What waits for each person: the home's "waiting for you" list (GET /api/me/home/).
import { addStrings } from "../i18n.js";

addStrings({
  vi: {
    home_waiting: "Việc đang chờ bạn",
    home_waiting_none: "Hiện không có việc nào đang chờ bạn.",
    home_your_area: "Đến trang của bạn",
    due_short: " — hạn {date}",
    expected_short: " — dự kiến công bố {date}",
    task_judge_pending: "{count} bài chờ chấm ở {round} ({contest})",
    task_student_open: "{contest} đang nhận bài",
    task_student_sent: "Bạn đã gửi {count} bài dự thi vào {contest}",
    task_student_in_judging: "{count} bài của bạn trong {contest} đang được chấm",
    task_student_results: "{contest} đã công bố kết quả: xem kết quả {count} bài của bạn",
    task_library_entries: "{count} bài của thư viện trong {contest}",
    task_organize_draft: "{contest}: bản nháp, chưa mở nhận bài",
    task_organize_open: "{contest}: đang nhận bài, {count} bài đã gửi",
    task_organize_closed: "{contest}: đã hết hạn nộp, {count} bài chờ phân công chấm",
    task_organize_judging: "{contest}: {round} đã chấm {done}/{total} lượt",
  },
  en: {
    home_waiting: "Waiting for you",
    home_waiting_none: "Nothing is waiting for you right now.",
    home_your_area: "Go to your page",
    due_short: " — due {date}",
    expected_short: " — results expected {date}",
    task_judge_pending: "{count} entries to mark in {round} ({contest})",
    task_student_open: "{contest} is open for entries",
    task_student_sent: "You have sent {count} entries to {contest}",
    task_student_in_judging: "{count} of your entries in {contest} are being judged",
    task_student_results: "{contest} has published its results: see how your {count} entries did",
    task_library_entries: "{count} entries from your library in {contest}",
    task_organize_draft: "{contest}: draft, not open for entries yet",
    task_organize_open: "{contest}: open for entries, {count} sent",
    task_organize_closed: "{contest}: closed for entries, {count} entries waiting to be assigned",
    task_organize_judging: "{contest}: {round} marked {done}/{total}",
  },
});
