"""Development only: read the e-mails the file backend wrote to var/mail/ in the browser."""

from email import policy
from email.parser import BytesParser
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.shortcuts import render


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
