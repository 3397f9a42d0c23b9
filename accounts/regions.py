"""Sweden's 21 regions (proper names, the same in both languages), plus "other"."""

from django.utils.translation import gettext_lazy as _

REGIONS = [
    ("blekinge", "Region Blekinge"),
    ("dalarna", "Region Dalarna"),
    ("gotland", "Region Gotland"),
    ("gavleborg", "Region Gävleborg"),
    ("halland", "Region Halland"),
    ("jamtland-harjedalen", "Region Jämtland Härjedalen"),
    ("jonkoping", "Region Jönköpings län"),
    ("kalmar", "Region Kalmar län"),
    ("kronoberg", "Region Kronoberg"),
    ("norrbotten", "Region Norrbotten"),
    ("skane", "Region Skåne"),
    ("stockholm", "Region Stockholm"),
    ("sormland", "Region Sörmland"),
    ("uppsala", "Region Uppsala"),
    ("varmland", "Region Värmland"),
    ("vasterbotten", "Region Västerbotten"),
    ("vasternorrland", "Region Västernorrland"),
    ("vastmanland", "Region Västmanland"),
    ("vastra-gotaland", "Västra Götalandsregionen"),
    ("orebro", "Region Örebro län"),
    ("ostergotland", "Region Östergötland"),
    ("other", _("Other employer, or abroad")),
]
