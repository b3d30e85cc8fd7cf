import { listAll } from "../api.js";
import { formatDate, t } from "../i18n.js";
import "../strings/student.js";
import { clone, field, fill, pageError, start } from "../ui.js";

function card(certificate) {
  const item = clone("certificate-card");
  item.dataset.certificate = certificate.id;
  fill(item, {
    award: certificate.award,
    contest: certificate.contest_title,
    code: certificate.code,
    issued: formatDate(certificate.issued_at),
    library: certificate.library_name,
  });
  field(item, "issued").setAttribute("datetime", certificate.issued_at);
  if (certificate.pdf) {
    const pdf = field(item, "pdf");
    pdf.href = certificate.pdf;
    pdf.hidden = false;
    pdf.setAttribute("aria-label", t("student_certificate_pdf_label", { code: certificate.code }));
  } else {
    field(item, "pending").hidden = false;
  }
  const verify = field(item, "verify");
  verify.href = `/certificates/verify/?code=${encodeURIComponent(certificate.code)}`;
  verify.setAttribute("aria-label", t("student_certificate_verify_label", { code: certificate.code }));
  if (certificate.revoked_at) {
    const revoked = field(item, "revoked");
    revoked.textContent = t("student_certificate_revoked", { date: formatDate(certificate.revoked_at) });
    revoked.hidden = false;
  }
  return item;
}

async function show(me) {
  const all = await listAll("/api/certificates/");
  // An organizer who also entered sees their contests' certificates in the API: here, only theirs.
  const mine = all.filter((certificate) => certificate.holder === me.id);
  document.getElementById("certificates").append(...mine.map(card));
  document.getElementById("certificates-empty").hidden = mine.length > 0;
}

start({ title: "student_certificates_title" })
  .then((me) => {
    if (!me) {
      document.getElementById("sign-in-first").hidden = false;
      return null;
    }
    return show(me);
  })
  .catch((error) => pageError(error.message))
  .finally(() => document.querySelector(".loading").remove());
