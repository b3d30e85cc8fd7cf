import { api, ApiError } from "../api.js";
import { homeRead } from "../guide.js";
import { t } from "../i18n.js";
import { clearErrors, fill, showErrors, start } from "../ui.js";


const form = document.getElementById("signin-form");

function missing() {
  const empty = [...form.querySelectorAll("input[required]")].filter((input) => !input.value);
  return Object.fromEntries(empty.map((input) => [input.name, [t("field_required")]]));
}

function signedIn(user) {
  const section = document.getElementById("signed-in");
  fill(section, {
    name: user.full_name || user.username,
    roles: user.roles.map((role) => t(`role_${role}`)).join(", "),
  });
  section.hidden = false;
  form.hidden = true;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(form);
  const data = Object.fromEntries(new FormData(form));
  const empty = missing();
  if (Object.keys(empty).length) {
    showErrors(form, new ApiError(400, empty));
    return;
  }
  try {
    await api("/api/auth/login/", { method: "POST", body: data });
    const next = new URLSearchParams(window.location.search).get("next") ?? "";
    // Only a path of this site: an open redirect would help phishing. Without one, the
    // person's own area (a judge's queue, a student's entries ...).
    if (next.startsWith("/") && !next.startsWith("//")) {
      window.location.assign(next);
      return;
    }
    const home = await homeRead().catch(() => ({ landing: "/" }));
    window.location.assign(home.landing);
  } catch (error) {
    showErrors(form, error);
  }
});

start({ title: "signin_title" }).then((me) => me && signedIn(me));
