"""A centre saved in the CMS gets its pages, collection and groups once the save has committed."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from .centres import ensure_centre
from .models import Centre


@receiver(post_save, sender=Centre)
def set_up_centre(sender, instance, raw=False, **kwargs):
    if raw or instance.locale.language_code != settings.LANGUAGE_CODE:
        return
    centre_id = instance.pk
    transaction.on_commit(lambda: ensure_centre(Centre.objects.get(pk=centre_id)))
