from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.api import api_router
from cms.openapi import api_index, openapi_view
from core import health

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Before the Wagtail router, which would otherwise claim everything under api/v2/.
    path("api/v2/newsletter/", include("digest.newsletter.urls")),
    # Search: full-text search and title suggestions (search/api.py).
    path("api/v2/search/", include("search.urls")),
    path("api/v2/openapi.json", openapi_view, name="openapi"),
    path("api/v2/", api_index, name="api_index"),
    path("api/v2/", include("digest.api.urls")),
    path("api/v2/", api_router.urls),
    # Health probes (answered early by core.health.HealthProbeMiddleware).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Page paths: English unprefixed, /be/… and /ru/… for the translations. Pages are served by the
# frontend; the CMS only redirects a stray page request there.
urlpatterns += i18n_patterns(
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
