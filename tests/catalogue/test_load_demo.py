"""The demo-content command publishes its logins' passwords, so it refuses to run where DEBUG is off."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User


def test_load_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--i-know-this-is-not-production") as refusal:
        call_command("load_demo")

    assert "only with DEBUG on" in str(refusal.value)
    assert not User.objects.exists()
