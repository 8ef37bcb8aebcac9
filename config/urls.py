from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import views

admin.site.site_header = _("Techmart administration")
admin.site.site_title = _("Techmart")
admin.site.index_title = _("Platform moderation")

# Django tries URL patterns in order, and every included list that a path passes through
# without matching costs a walk of its patterns. The gate's check-in API is the busiest path,
# so the API and the events patterns come first; their prefixes overlap no other pattern.
api_v1 = [
    path("", include("events.api_urls")),
    path("", include("accounts.api_urls")),
    path("", include("marketplace.api_urls")),
    path("", include("matching.api_urls")),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("san/", include("marketplace.urls")),
    path("goi-y/", include("matching.urls")),
    path("techmart/", include("events.urls")),
    path("payments/", include("events.payment_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

if settings.SERVE_MEDIA:
    # Uploaded logos and listing images. A deployment with a front proxy may serve these itself
    # and set SERVE_MEDIA=0; a fair on a closed network usually has no such proxy.
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
