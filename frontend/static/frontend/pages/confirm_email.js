// The page the confirmation e-mail's link opens: it sends the link's token to the server.
import { api } from "../api.js";
import { t } from "../i18n.js";
import "../strings/voting.js";
import { start } from "../ui.js";

const outcome = document.getElementById("confirm-outcome");

async function confirm() {
  await start({ title: "confirm_title" });
  const token = new URLSearchParams(window.location.search).get("token");
  if (!token) {
    outcome.textContent = t("confirm_missing");
    return;
  }
  try {
    const user = await api("/api/auth/email/confirm/", { method: "POST", body: { token } });
    outcome.textContent = t("confirm_done", { email: user.email });
  } catch (error) {
    outcome.className = "error";
    outcome.textContent = error.fields?.token?.join(" ") ?? error.message;
  }
}

confirm();
