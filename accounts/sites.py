from urllib.parse import urlparse

from django.conf import settings


def ensure_site(**_kwargs) -> None:
    """The sites row names the platform in allauth's emails: keep it in step with SITE_URL."""
    from django.contrib.sites.models import Site

    domain = urlparse(settings.SITE_URL).netloc or "127.0.0.1:8000"
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": "Techmart"}
    )
