"""The catalogue app's personal data, in accounts' privacy registry: a person's alerts (followed catalogue views,
also those made by address before they had an account) and their mails, exported and erased."""

from django.db.models import Q

from accounts.privacy import Handler, iso, register

from . import alerts
from .models import Alert, AlertMessage


def _alerts_of(user, emails=None):
    emails = emails or {user.email.lower()}
    return Alert.objects.filter(Q(user=user) | Q(email__in=emails))


@register
class AlertHandler(Handler):
    """A person's alerts (also those made before they had an account, by address) are exported and deleted."""

    model = "catalogue.Alert"
    key = "course_alerts"
    erase_order = 10

    def export(self, user):
        return [
            {
                "email": alert.email,
                "view": alerts.describe(alert),
                "filters": alert.query,
                "language": alert.language,
                "frequency": alert.frequency,
                "created_at": iso(alert.created_at),
                "confirmed_at": iso(alert.confirmed_at) if alert.confirmed_at else None,
                "mails_sent": alert.messages.filter(status="sent").count(),
            }
            for alert in _alerts_of(user).order_by("pk")
        ]

    def erase(self, erasure):
        # Their matches and mails go with them (CASCADE).
        _alerts_of(erasure.user, erasure.emails).delete()


@register
class AlertMessageHandler(Handler):
    """Alert mails hold no address of their own (the alert's): exported with the alerts, deleted with them."""

    model = "catalogue.AlertMessage"
    key = "course_alert_mails"
    erase_order = 10

    def export(self, user):
        return [
            {
                "kind": message.kind,
                "status": message.status,
                "sent_at": iso(message.sent_at) if message.sent_at else None,
            }
            for message in AlertMessage.objects.filter(alert__in=_alerts_of(user)).order_by("pk")
        ]

    def erase(self, erasure):
        AlertMessage.objects.filter(alert__in=_alerts_of(erasure.user, erasure.emails)).delete()
