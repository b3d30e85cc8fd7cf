from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from certificates.views import verify_page
from core.views import healthz
from people.views import admin_login
from privacy.pages import consent_page

handler404 = "core.views.api_aware_not_found"
handler500 = "core.views.api_aware_server_error"

admin.site.site_header = "Đại sứ Văn hóa đọc"
admin.site.site_title = "Đại sứ Văn hóa đọc"

api_urlpatterns = [
    path("", include("people.urls")),
    path("", include("contests.urls")),
    path("", include("submissions.urls")),
    path("", include("judging.urls")),
    path("", include("results.urls")),
    path("", include("certificates.urls")),
    path("", include("screening.urls")),
    path("", include("privacy.urls")),
    path("", include("voting.urls")),
    path("", include("guide.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
]

urlpatterns = [
    path("api/", include(api_urlpatterns)),
    path("admin/login/", admin_login, name="admin-login"),  # before the admin's own, which it wraps
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
    path("verify/", verify_page, name="verify-page"),
    path("verify/<str:code>/", verify_page, name="verify-page-code"),
    path("consent/<str:token>/", consent_page, name="guardian-consent-page"),
    path("", include("frontend.urls")),
]

if settings.BENCH_ENDPOINTS:  # bench/load_bench.py's own server only (never config.production)
    from core.bench import BenchInsertView

    urlpatterns.insert(0, path("api/bench/insert/", BenchInsertView.as_view(), name="bench-insert"))
