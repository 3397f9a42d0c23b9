"""The demo site: its texts as TOML data files (content.py reads them) and the loader that builds them with
the factories (loader.py), run by `manage.py load_demo`."""
