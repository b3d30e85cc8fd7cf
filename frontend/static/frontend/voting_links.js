// Links to a contest's public votes (the people's choice), for the contest's and the organizer's pages.
import { api } from "./api.js";
import { t } from "./i18n.js";
import "./strings/voting.js";

export async function showPublicVoteLinks(contestId, slotId, href) {
  const slot = document.getElementById(slotId);
  const votes = await api(`/api/contests/${contestId}/public-votes/`);
  slot.replaceChildren(
    ...votes.map((vote) => {
      const link = document.createElement("a");
      link.href = href(vote);
      link.textContent = `${t("vote_links")}: ${vote.title}`;
      return link;
    }),
  );
  slot.hidden = votes.length === 0;
}
