// The one way the pages talk to the server: JSON over fetch, the session cookie, the CSRF
// header on writes, the chosen language as Accept-Language. Errors come back as ApiError with
// the server's per-field messages, so each page can show them next to the field concerned.
import { lang, t } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, body) {
    const data = body && typeof body === "object" && !Array.isArray(body) ? body : {};
    super(typeof data.detail === "string" ? data.detail : `HTTP ${status}`);
    this.status = status;
    // The answer as it came, for the few that carry more than messages (an import's per-row report).
    this.body = data;
    this.detail = typeof data.detail === "string" ? data.detail : null;
    // {"detail", "code"} names the error; a list under "code" is a field's (a certificate's code).
    this.code = typeof data.code === "string" ? data.code : null;
    // {field: ["message", ...]}; DRF's form-wide messages arrive as non_field_errors.
    this.fields = {};
    for (const [field, messages] of Object.entries(data)) {
      if (field === "detail" || (field === "code" && this.code !== null)) continue;
      this.fields[field] = Array.isArray(messages) ? messages.map(String) : [String(messages)];
    }
  }
}

function cookie(name) {
  const found = document.cookie.split("; ").find((part) => part.startsWith(`${name}=`));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
}

// Read at every write: Django rotates the token when someone signs in.
export function csrfToken() {
  return cookie("csrftoken");
}

function address(path, query) {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, value);
  }
  return url;
}

export async function api(path, { method = "GET", body, query, headers: extra = {} } = {}) {
  const headers = { Accept: "application/json", "Accept-Language": lang(), ...extra };
  const options = { method, headers, credentials: "same-origin" };
  if (!["GET", "HEAD"].includes(method)) {
    headers["X-CSRFToken"] = csrfToken();
    if (body instanceof FormData) {
      options.body = body;
    } else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
  }
  let response;
  try {
    response = await fetch(address(path, query), options);
  } catch {
    throw new ApiError(0, { detail: t("network_error") });
  }
  if (response.status === 204) return null;
  let data = null;
  if ((response.headers.get("Content-Type") || "").includes("json")) {
    data = await response.json();
  }
  if (!response.ok) throw new ApiError(response.status, data ?? { detail: `HTTP ${response.status}` });
  return data;
}

// The Idempotency-Key of one thing a form sends (an entry, an import): the same key while the
// answer may have been lost (no answer at all, or a 5xx), so that sending again cannot make it
// twice; a new key once the server has answered, or once the form has changed.
export class SendKey {
  #key = null;

  get() {
    if (this.#key === null) {
      const bytes = crypto.getRandomValues(new Uint8Array(16)); // randomUUID needs HTTPS
      this.#key = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
    }
    return this.#key;
  }

  // After a request: keep the key only if its answer may not have arrived.
  settle(error = null) {
    if (!(error instanceof ApiError) || (error.status !== 0 && error.status < 500)) this.#key = null;
  }

  forget() {
    this.#key = null;
  }
}

// One page of a DRF list: {count, next, previous, results}. `next` is followed as given.
export function list(pathOrNext, query) {
  return api(pathOrNext, { query });
}

// Every row of a list, following `next` (for the lists a person reads whole: a judge's queue,
// a library's certificates); pages of 200, the API's largest.
export async function listAll(path, query = {}) {
  let page = await list(path, { page_size: 200, ...query });
  const rows = [...page.results];
  while (page.next) {
    page = await list(page.next);
    rows.push(...page.results);
  }
  return rows;
}
