"""Deployment: production settings are safe, and the compose topology names every service."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


# Everything production needs, pointing nowhere: importing settings and `check` open no connection.
PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 30 + "Q9#z" * 10,
    "ALLOWED_HOSTS": "kurser.example.se",
    "DATABASE_URL": "postgres://atmp@db.invalid:5432/atmp",
    "REDIS_URL": "redis://redis.invalid:6379/0",
    "BASE_URL": "https://kurser.example.se",
    "DEFAULT_FROM_EMAIL": "ATMP-kurser <kurser@example.se>",
    "EMAIL_HOST": "smtp.example.se",
}


def run_python(args, env):
    environment = {
        k: v for k, v in os.environ.items() if k not in {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="atmp.settings.production", **env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def manage(*args, **env):
    return run_python(["manage.py", *args], env)


def import_production_settings(**env):
    return run_python(["-c", "import atmp.settings.production"], env)


@pytest.mark.parametrize("name", list(PRODUCTION_ENV))
def test_production_settings_refuse_to_start_without_each_variable(name):
    result = import_production_settings(**{k: v for k, v in PRODUCTION_ENV.items() if k != name})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"  {name} (" in result.stderr
    for other in set(PRODUCTION_ENV) - {name}:
        assert f"  {other}" not in result.stderr


def test_one_message_names_everything_missing():
    result = import_production_settings()

    assert result.returncode != 0
    message = result.stderr[result.stderr.index("ImproperlyConfigured") :]
    for name in PRODUCTION_ENV:
        assert f"  {name} (" in message


@pytest.mark.parametrize(
    ("name", "value", "complaint"),
    [
        ("DATABASE_URL", "sqlite:///var/db.sqlite3", "DATABASE_URL must point at PostgreSQL"),
        ("BASE_URL", "http://kurser.example.se", "BASE_URL must start with https://"),
        ("BASE_URL", "kurser.example.se", "BASE_URL (https://"),
        ("EMAIL_HOST", "  ", "EMAIL_HOST (the SMTP relay)"),
    ],
)
def test_production_settings_refuse_unsafe_values(name, value, complaint):
    result = import_production_settings(**{**PRODUCTION_ENV, name: value})

    assert result.returncode != 0
    assert complaint in result.stderr


def test_base_url_makes_the_absolute_links():
    code = "from django.conf import settings as s; print(s.WAGTAILADMIN_BASE_URL)"
    result = run_python(
        ["-c", f"import django; django.setup(); {code}"], {**PRODUCTION_ENV, "BASE_URL": "https://kurser.example.se/"}
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["https://kurser.example.se"]  # the API follows the Site (accounts/site.py)


def test_deploy_check_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_compose_file_has_the_production_topology():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]

    assert {"web", "worker", "beat", "db", "redis", "mail"} <= set(services)
    assert services["web"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["web"]["depends_on"]["redis"]["condition"] == "service_healthy"
    for name in ("web", "db", "redis"):
        assert "healthcheck" in services[name]


def test_compose_gives_the_application_everything_production_requires():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    environment = compose["x-app"]["environment"]

    for name in ("DATABASE_URL", "REDIS_URL", "BASE_URL", "DEFAULT_FROM_EMAIL", "EMAIL_HOST"):
        assert name in environment
    # SECRET_KEY and ALLOWED_HOSTS are the site's own: only in .env, never with a default in the repository.
    example = (ROOT / ".env.example").read_text().splitlines()
    assert set(PRODUCTION_ENV) <= {line.split("=")[0] for line in example if "=" in line}


def test_load_demo_refuses_to_run_under_production_settings():
    result = manage("load_demo", **PRODUCTION_ENV)

    assert result.returncode != 0
    assert "only with DEBUG on" in result.stderr
    assert "--i-know-this-is-not-production" in result.stderr
