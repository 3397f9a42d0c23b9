from wagtail import hooks

from .alert_views import profile_section


@hooks.register("account_profile_sections")
def alerts_on_the_profile(request):
    return profile_section(request)
