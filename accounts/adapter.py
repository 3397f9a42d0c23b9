"""allauth adapters: remember the visitor's language at sign-up and write account e-mail in it."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.utils import translation


def _language_of(email):
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if address and address.user.preferred_language:
        return address.user.preferred_language
    return translation.get_language() or settings.LANGUAGE_CODE


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user.preferred_language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request):
        # My courses in the language the person was browsing in (reverse() follows the active language).
        from django.urls import reverse

        return reverse("my_courses")

    def send_mail(self, template_prefix, email, context):
        # Verification and password-reset mail in the person's own language, whatever page sent it.
        with translation.override(_language_of(email)):
            return super().send_mail(template_prefix, email, context)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.preferred_language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
        return user
