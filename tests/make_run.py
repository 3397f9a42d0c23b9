"""The URLs as `make run` serves them: DEBUG on, so MEDIA_ROOT is served at /media/ (atmp/urls.py)."""

import importlib.util


def debug_urlconf(settings):
    """Point ROOT_URLCONF at atmp/urls.py evaluated with DEBUG on (`settings` is pytest-django's fixture)."""
    settings.DEBUG = True
    spec = importlib.util.find_spec("atmp.urls")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    settings.ROOT_URLCONF = module
    return module
