from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Mail goes out in the recipient's preferred language when we know it."""
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            return super().send_mail(template_prefix, email, context)

    def post_login(self, request, user, **kwargs):
        """Signing in switches the site to the language the person chose in their profile."""
        response = super().post_login(request, user, **kwargs)
        if user.preferred_language and hasattr(response, "set_cookie"):
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.preferred_language)
        return response
