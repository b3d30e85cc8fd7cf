// UI strings, Vietnamese first (the default) and English. The chosen language is kept in
// localStorage and sent to the API as Accept-Language, so that its messages match the page.
const STRINGS = {
  vi: {
    site_name: "Đại sứ Văn hóa đọc",
    skip_to_content: "Bỏ qua, đến nội dung chính",
    menu: "Trình đơn",
    nav_contests: "Cuộc thi",
    nav_verify: "Tra cứu giấy chứng nhận",
    nav_signin: "Đăng nhập",
    nav_signout: "Đăng xuất",
    api_docs: "Tài liệu API",
    loading: "Đang tải…",
    network_error: "Không kết nối được với máy chủ. Vui lòng thử lại.",
    not_found: "Không tìm thấy trang này.",
    show_more: "Xem thêm",
    home_title: "Cuộc thi Đại sứ Văn hóa đọc",
    home_lead: "Gửi bài dự thi qua thư viện của bạn, theo dõi kết quả và tra cứu giấy chứng nhận.",
    home_open: "Đang nhận bài",
    home_open_empty: "Hiện chưa có cuộc thi nào đang nhận bài.",
    home_judging: "Đang chấm",
    home_published: "Đã công bố kết quả",
    home_published_empty: "Chưa có kết quả nào được công bố.",
    closes_on: "Hạn nộp bài: {date}",
    published_on: "Công bố ngày {date}",
    results: "Kết quả",
    leaderboard: "Bảng xếp hạng",
    status_draft: "Bản nháp",
    status_open: "Đang nhận bài",
    status_closed: "Đã hết hạn nộp",
    status_judging: "Đang chấm",
    status_published: "Đã công bố",
    status_archived: "Đã lưu trữ",
    round_status_scoring: "Đang chấm",
    round_status_closed: "Đã kết thúc",
    deadline: "Hạn nộp bài",
    vietnam_time: "(giờ Việt Nam, UTC+07:00)",
    countdown: "Còn {d} ngày {h} giờ {m} phút {s} giây",
    countdown_over: "Đã hết hạn nộp bài.",
    countdown_not_open: "Cuộc thi không còn nhận bài.",
    rules: "Thể lệ",
    submission_window: "Thời gian nhận bài:",
    categories: "Bảng thi",
    category: "Bảng thi",
    formats: "Hình thức",
    format_text: "bài viết",
    format_file: "tệp",
    format_video: "video",
    max_words: "Số chữ tối đa",
    files: "Tệp",
    files_rule: "{types}, tối đa {mb} MB",
    max_entries: "Số bài tối đa mỗi người",
    no_limit: "không giới hạn",
    rounds: "Các vòng thi",
    criteria: "Tiêu chí: {list}",
    prize_tiers: "Cơ cấu giải thưởng",
    tier_quota: "{quota} giải · {points} điểm",
    back_to_contest: "← Về trang cuộc thi",
    results_title: "Kết quả:",
    all_categories: "Tất cả các bảng",
    results_empty: "Chưa có kết quả.",
    rank: "Hạng",
    entrant: "Thí sinh",
    library: "Thư viện",
    entry_title: "Bài dự thi",
    score: "Điểm",
    prizes: "Giải thưởng",
    leaderboard_title: "Bảng xếp hạng:",
    leaderboard_by: "Xếp theo",
    by_library: "Thư viện",
    by_network: "Mạng lưới, tỉnh",
    leaderboard_empty: "Chưa có bảng xếp hạng.",
    chart_caption: "Điểm thi đua của từng đơn vị",
    chart_label: "Biểu đồ cột: điểm thi đua theo {unit}",
    unit_library: "Thư viện",
    unit_network: "Đơn vị",
    entries: "Bài hợp lệ",
    entrants: "Thí sinh",
    participation: "Tỉ lệ tham gia",
    average_score: "Điểm TB vòng 1",
    winners: "Đạt giải",
    points: "Điểm thi đua",
    verify_title: "Tra cứu giấy chứng nhận",
    verify_lead: "Nhập mã xác thực in trên giấy chứng nhận (không phân biệt chữ hoa, chữ thường và dấu gạch).",
    verify_code: "Mã xác thực",
    verify_button: "Tra cứu",
    verify_required: "Vui lòng nhập mã xác thực.",
    verify_valid: "Giấy chứng nhận hợp lệ.",
    verify_revoked: "Giấy chứng nhận đã bị thu hồi ngày {date}.",
    verify_printable: "Trang tra cứu để in hoặc chia sẻ",
    holder: "Người nhận",
    award: "Danh hiệu",
    contest: "Cuộc thi",
    issued: "Ngày cấp",
    code: "Mã",
    signin_title: "Đăng nhập",
    username: "Tên đăng nhập",
    password: "Mật khẩu",
    signin_button: "Đăng nhập",
    field_required: "Vui lòng điền trường này.",
    signed_in_as: "Bạn đã đăng nhập với tên",
    your_roles: "Vai trò:",
    role_student: "thí sinh",
    role_judge: "giám khảo",
    role_library_staff: "cán bộ thư viện",
    role_network_organizer: "ban tổ chức",
    role_platform_organizer: "ban tổ chức (toàn hệ thống)",
    nav_register: "Đăng ký",
    nav_my_entries: "Bài dự thi của tôi",
    nav_judge: "Chấm bài",
    nav_library: "Thư viện của tôi",
    nav_organize: "Ban tổ chức",
  },
  en: {
    site_name: "Reading Culture Ambassador",
    skip_to_content: "Skip to the main content",
    menu: "Menu",
    nav_contests: "Contests",
    nav_verify: "Verify a certificate",
    nav_signin: "Sign in",
    nav_signout: "Sign out",
    api_docs: "API documentation",
    loading: "Loading…",
    network_error: "Could not reach the server. Please try again.",
    not_found: "This page does not exist.",
    show_more: "Show more",
    home_title: "Reading Culture Ambassador contests",
    home_lead: "Send your entry through your library, follow the results and verify certificates.",
    home_open: "Open for entries",
    home_open_empty: "No contest is open for entries right now.",
    home_judging: "Being judged",
    home_published: "Results published",
    home_published_empty: "No results have been published yet.",
    closes_on: "Entries close {date}",
    published_on: "Published {date}",
    results: "Results",
    leaderboard: "Leaderboard",
    status_draft: "Draft",
    status_open: "Open for entries",
    status_closed: "Closed for entries",
    status_judging: "Being judged",
    status_published: "Results published",
    status_archived: "Archived",
    round_status_scoring: "Scoring",
    round_status_closed: "Closed",
    deadline: "Deadline",
    vietnam_time: "(Vietnam time, UTC+07:00)",
    countdown: "{d} days {h} h {m} min {s} s left",
    countdown_over: "The deadline has passed.",
    countdown_not_open: "This contest no longer takes entries.",
    rules: "Rules",
    submission_window: "Entries accepted:",
    categories: "Categories",
    category: "Category",
    formats: "Formats",
    format_text: "text",
    format_file: "file",
    format_video: "video",
    max_words: "Most words",
    files: "Files",
    files_rule: "{types}, at most {mb} MB",
    max_entries: "Entries per entrant",
    no_limit: "no limit",
    rounds: "Rounds",
    criteria: "Criteria: {list}",
    prize_tiers: "Prizes",
    tier_quota: "{quota} prizes · points per prize: {points}",
    back_to_contest: "← Back to the contest",
    results_title: "Results:",
    all_categories: "All categories",
    results_empty: "No results yet.",
    rank: "Rank",
    entrant: "Entrant",
    library: "Library",
    entry_title: "Entry",
    score: "Score",
    prizes: "Prizes",
    leaderboard_title: "Leaderboard:",
    leaderboard_by: "By",
    by_library: "Library",
    by_network: "Network, province",
    leaderboard_empty: "No leaderboard yet.",
    chart_caption: "Points of each unit",
    chart_label: "Bar chart: points by {unit}",
    unit_library: "Library",
    unit_network: "Unit",
    entries: "Valid entries",
    entrants: "Entrants",
    participation: "Participation",
    average_score: "Average round 1 score",
    winners: "Winners",
    points: "Points",
    verify_title: "Verify a certificate",
    verify_lead: "Type the verification code printed on the certificate (case and dashes do not matter).",
    verify_code: "Verification code",
    verify_button: "Verify",
    verify_required: "Please type a verification code.",
    verify_valid: "This certificate is genuine.",
    verify_revoked: "This certificate was revoked on {date}.",
    verify_printable: "A page to print or share",
    holder: "Holder",
    award: "Award",
    contest: "Contest",
    issued: "Issued",
    code: "Code",
    signin_title: "Sign in",
    username: "Username",
    password: "Password",
    signin_button: "Sign in",
    field_required: "This field is required.",
    signed_in_as: "You are signed in as",
    your_roles: "Roles:",
    role_student: "student",
    role_judge: "judge",
    role_library_staff: "library staff",
    role_network_organizer: "organizer",
    role_platform_organizer: "platform organizer",
    nav_register: "Register",
    nav_my_entries: "My entries",
    nav_judge: "Judging",
    nav_library: "My library",
    nav_organize: "Organizers",
  },
};

// Each area of the site (student, judge, library, organizer) keeps its strings in its own module
// under strings/, which adds them here when a page imports it (before the page calls start()).
export function addStrings(more) {
  for (const [code, strings] of Object.entries(more)) Object.assign(STRINGS[code], strings);
}

export const LANGUAGES = Object.keys(STRINGS);
const KEY = "lang";

export function lang() {
  let chosen = null;
  try {
    chosen = localStorage.getItem(KEY);
  } catch {
    // storage refused (private mode): the default it is
  }
  return LANGUAGES.includes(chosen) ? chosen : "vi";
}

export function setLang(code) {
  if (LANGUAGES.includes(code)) localStorage.setItem(KEY, code);
}

export function t(key, params = {}) {
  const text = STRINGS[lang()][key] ?? STRINGS.vi[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

// Fills every [data-i18n] element's text (and [data-i18n-aria-label] labels) under root.
export function translate(root = document) {
  const all = [...root.querySelectorAll("[data-i18n]")];
  if (root.dataset?.i18n) all.push(root);
  for (const element of all) element.textContent = t(element.dataset.i18n);
  for (const element of root.querySelectorAll("[data-i18n-aria-label]")) {
    element.setAttribute("aria-label", t(element.dataset.i18nAriaLabel));
  }
}

export function locale() {
  return lang() === "vi" ? "vi-VN" : "en-GB";
}

const VIETNAM = "Asia/Ho_Chi_Minh"; // contests run on Vietnam time, whatever the reader's clock

export function formatDateTime(iso) {
  return new Intl.DateTimeFormat(locale(), { timeZone: VIETNAM, dateStyle: "full", timeStyle: "short" }).format(
    new Date(iso),
  );
}

export function formatTime(iso) {
  return new Intl.DateTimeFormat(locale(), { timeZone: VIETNAM, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .format(new Date(iso));
}

export function formatDate(iso) {
  return new Intl.DateTimeFormat(locale(), { timeZone: VIETNAM, dateStyle: "medium" }).format(new Date(iso));
}

export function formatNumber(value, digits = 2) {
  if (value === null || value === undefined || value === "") return "–";
  return Number(value).toLocaleString(locale(), { maximumFractionDigits: digits });
}

// A figure from the server (a score, an average, a participation rate) was rounded once, half up,
// to 4 decimals: shown with all of its digits (trailing zeros dropped), never rounded again, so
// that the page says what the API and the CSV say. `percent`: a rate as a percentage (2 decimals).
export function formatFigure(value, { percent = false } = {}) {
  if (value === null || value === undefined || value === "") return "–";
  return percent ? `${formatNumber(Number(value) * 100, 2)} %` : formatNumber(value, 4);
}
