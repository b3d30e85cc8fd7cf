from django.db import models
from django.utils.translation import gettext_lazy as _


class ContestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for entries")
    CLOSED = "closed", _("Closed for entries")
    JUDGING = "judging", _("Judging")
    PUBLISHED = "published", _("Results published")
    ARCHIVED = "archived", _("Archived")


# The stages in which a contest's result is out: public, and frozen.
RESULTS_OUT = (ContestStatus.PUBLISHED, ContestStatus.ARCHIVED)

# The lifecycle moves forward only; going back is contest_reopen's job (audited).
STATUS_ORDER = [s.value for s in ContestStatus]


class EntryFormat(models.TextChoices):
    TEXT = "text", _("Essay text")
    FILE = "file", _("File")
    VIDEO = "video", _("Video link")


class FileType(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"


class VideoHost(models.TextChoices):
    YOUTUBE = "youtube", "YouTube"
    FACEBOOK = "facebook", "Facebook"
    TIKTOK = "tiktok", "TikTok"
    GOOGLE_DRIVE = "google_drive", "Google Drive"


class Aggregation(models.TextChoices):
    WEIGHTED_MEAN = "weighted_mean", _("Weighted mean of the judges' totals")
    MEDIAN = "median", _("Median")
    TRIMMED_MEAN = "trimmed_mean", _("Trimmed mean (drop highest and lowest from 4 judges)")
    ZSCORE = "zscore", _("Per-judge z-score normalization")
    JUDGE_EFFECTS = "judge_effects", _("Judge-effects model (each judge's severity and scale fitted with the entries)")


# The methods that put each judge's totals on a common scale before averaging them: they need
# judges whose pools overlap (a connected design) and enough marks per judge.
NORMALIZING = (Aggregation.ZSCORE, Aggregation.JUDGE_EFFECTS)


class RoundStatus(models.TextChoices):
    SCORING = "scoring", _("Scoring")
    CLOSED = "closed", _("Closed")


class AdvanceRule(models.TextChoices):
    TOP_N = "top_n", _("Top N overall")
    TOP_N_PER_LIBRARY = "top_n_per_library", _("Top N per library")
    TOP_N_PER_NETWORK = "top_n_per_network", _("Top N per network")
    THRESHOLD = "threshold", _("Score at least a threshold")
    NONE = "none", _("Nobody advances (final round)")
