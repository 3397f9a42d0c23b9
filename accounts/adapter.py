"""allauth adapters: remember the visitor's language at sign-up and write account e-mail in it, in the site's
HTML + text layout, from the network's name in that language."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .language import active_language
from .site import sender, site_root_url


def _person_with(email):
    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    return address.user if address else None


def _language_of(email):
    person = _person_with(email)
    if person and person.preferred_language:
        return person.preferred_language
    return active_language()


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user.preferred_language = active_language()
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request):
        # My courses in the language the person was browsing in (reverse() follows the active language).
        return reverse("my_courses")

    def send_mail(self, template_prefix, email, context):
        # Verification and password-reset mail in the person's own language, whatever page sent it.
        with translation.override(_language_of(email)):
            return super().send_mail(template_prefix, email, context)

    def get_from_email(self):
        # Called while the recipient's language is active (send_mail): "ATMP-kurser" or "ATMP Courses".
        return sender(active_language())

    def render_mail(self, template_prefix, email, context, headers=None):
        request = allauth_context.request
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        person = _person_with(email) if isinstance(email, str) else None
        context = {
            **context,
            "subject": subject,
            "site_url": site_root_url(request) + "/",
            "greeting_name": person.first_name if person else "",
        }
        message = super().render_mail(template_prefix, email, context, headers=headers)
        if not any(mimetype == "text/html" for _body, mimetype in message.alternatives):
            # A mail we wrote no HTML for (allauth's security notices, MFA): its own text in the same layout.
            text = render_to_string(f"{template_prefix}_message.txt", {**context, "bare": True}, request).strip()
            paragraphs = [part.strip() for part in text.split("\n\n") if part.strip()]
            html = render_to_string("account/email/generic_message.html", {**context, "paragraphs": paragraphs})
            message.attach_alternative(html, "text/html")
        return message


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.preferred_language = active_language()
        return user
