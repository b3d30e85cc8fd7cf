// The student area's helpers: the server's word count, and an upload that reports progress.
import { ApiError, csrfToken } from "./api.js";
import { lang, t } from "./i18n.js";
import { showErrors } from "./ui.js";

// submissions/content.py words_count, mirrored: a word is a run of letters or digits (Python's
// [^\W_]: Unicode letters and numbers, no underscore), joined by inner apostrophes or hyphens,
// counted after NFC so that a precomposed "ọ" is one letter, not "o" plus a combining mark.
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

export function wordsCount(text) {
  return (text.normalize("NFC").match(WORD) ?? []).length;
}

// api() for multipart writes whose upload progress matters: fetch cannot report it, so this is
// XMLHttpRequest, with the same headers (CSRF, Accept-Language) and the same ApiError.
// onProgress(fraction) runs as the bytes leave, and with 1 once the whole body has been sent.
export function upload(path, { method = "POST", body, headers = {}, onProgress = () => {} }) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(method, path);
    request.setRequestHeader("Accept", "application/json");
    request.setRequestHeader("Accept-Language", lang());
    request.setRequestHeader("X-CSRFToken", csrfToken());
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.withCredentials = true;
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    });
    request.upload.addEventListener("load", () => onProgress(1));
    request.addEventListener("error", () => reject(new ApiError(0, { detail: t("network_error") })));
    request.addEventListener("load", () => {
      let data = null;
      if ((request.getResponseHeader("Content-Type") || "").includes("json")) {
        try {
          data = JSON.parse(request.responseText);
        } catch {
          data = null;
        }
      }
      if (request.status >= 200 && request.status < 300) {
        resolve(data);
      } else {
        reject(new ApiError(request.status, data ?? { detail: `HTTP ${request.status}` }));
      }
    });
    request.send(body);
  });
}

// ui.showErrors, and a form-wide refusal (no field to focus: the deadline passed, say) is brought
// into view and focused, so that it is seen and read out even from the bottom of a long form.
export function showFormErrors(form, error) {
  showErrors(form, error);
  const general = form.querySelector('[data-error-for="__all__"]');
  if (general && !general.hidden && !form.querySelector('[aria-invalid="true"]')) {
    general.tabIndex = -1;
    general.focus();
  }
}
