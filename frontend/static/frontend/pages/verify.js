import { api, ApiError } from "../api.js";
import { formatDate, t } from "../i18n.js";
import { clearErrors, field, fill, showErrors, start } from "../ui.js";

start({ title: "verify_title" });

const form = document.getElementById("verify-form");
const input = document.getElementById("code");
const verdict = document.getElementById("verdict");

async function verify(code) {
  verdict.hidden = true;
  clearErrors(form);
  const url = new URL(window.location.href);
  url.searchParams.set("code", code);
  window.history.replaceState(null, "", url);
  let found;
  try {
    found = await api(`/api/certificates/verify/${encodeURIComponent(code)}/`);
  } catch (error) {
    // 404 says "no certificate has this code" in the reader's language: it belongs to the box.
    if (error.detail && !Object.keys(error.fields).length) error.fields = { code: [error.detail] };
    error.detail = null;
    showErrors(form, error);
    return;
  }
  fill(verdict, {
    verdict: found.valid ? t("verify_valid") : t("verify_revoked", { date: formatDate(found.revoked_at) }),
    holder: found.holder,
    award: found.award,
    library: found.library || "–",
    contest: found.contest,
    issued_at: formatDate(found.issued_at),
    code: found.code,
  });
  verdict.className = found.valid ? "valid" : "revoked";
  field(verdict, "printable").href = `/verify/${encodeURIComponent(found.code)}/`;
  verdict.hidden = false;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const code = input.value.trim();
  if (!code) {
    showErrors(form, new ApiError(400, { code: [t("verify_required")] }));
    return;
  }
  verify(code);
});

const given = new URLSearchParams(window.location.search).get("code");
if (given) {
  input.value = given;
  verify(given);
}
