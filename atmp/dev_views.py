"""Development only: read the e-mails the file backend wrote to var/mail/ in the browser.

The mails hold sign-up confirmations and password-reset links for every address, so the mailbox answers only
with DEBUG on, and then only to staff or to a browser on this machine (`make run` may listen on the network).
"""

import ipaddress
from email import policy
from email.parser import BytesParser
from pathlib import Path

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import render
from django.utils.translation import gettext as _

# A proxy on this machine makes every visitor look local; these headers give it away.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def _from_this_machine(request):
    if any(header in request.META for header in PROXY_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def _messages():
    folder = Path(getattr(settings, "EMAIL_FILE_PATH", ""))
    if not settings.DEBUG or not folder.is_dir():
        return []
    messages = []
    for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True)[:200]:
        # The file backend appends messages separated by a line of dashes.
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if raw.strip():
                messages.append(BytesParser(policy=policy.default).parsebytes(raw.strip()))
    return messages


def mailbox(request, number=None):
    if not settings.DEBUG:
        raise Http404
    if not (request.user.is_staff or _from_this_machine(request)):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return HttpResponseForbidden(_("The development mailbox is for staff, or for a browser on this computer."))
    messages = _messages()
    selected = None
    if number is not None:
        if not 0 <= number < len(messages):
            raise Http404
        message = messages[number]
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        selected = {
            "message": message,
            "text": text.get_content() if text else "",
            "html": html.get_content() if html else "",
            "attachments": [part.get_filename() for part in message.iter_attachments()],
        }
    return render(request, "dev/mailbox.html", {"messages_list": list(enumerate(messages)), "selected": selected})
