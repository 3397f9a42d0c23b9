from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.views import serve as wagtail_serve

from accounts import views as account_views
from catalogue.api import api_router
from catalogue.seo import SiteSitemap, icon, robots_txt
from enrolment import manager_views
from enrolment import views as enrolment_views
from enrolment.certificates import verify_route
from enrolment.evaluations import evaluation_route

from . import dev_views, views

urlpatterns = [
    # Before Wagtail's admin URLs: its login form is replaced by the site's (allauth) login.
    path("admin/login/", account_views.admin_login, name="admin_login"),
    path("admin/", include(wagtailadmin_urls)),
    # Documents go through our view first: participants-only course materials are checked there.
    path("documents/<int:document_id>/<str:document_filename>", enrolment_views.serve_document),
    path("documents/", include(wagtaildocs_urls)),
    path("calendar/<slug:token>.ics", enrolment_views.personal_calendar, name="personal_calendar"),
    path("api/v2/", api_router.urls),
    path("health/", views.health, name="health"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": SiteSitemap}}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    # Browsers and feed readers ask for these at the root whatever the page says.
    path("favicon.ico", icon, {"name": "favicon.ico"}),
    path("apple-touch-icon.png", icon, {"name": "apple-touch-icon.png"}),
    path("i18n/", include("django.conf.urls.i18n")),
]

# The mailbox answers only with DEBUG on (the view checks at every request, so tests can reach it).
urlpatterns += [
    path("dev/mailbox/", dev_views.mailbox, name="dev_mailbox"),
    path("dev/mailbox/<int:number>/", dev_views.mailbox, name="dev_mailbox_message"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    # First: the URL a course's opening rush posts to, matched before the includes below are tried.
    path("enrol/<int:occasion_id>/", enrolment_views.enrol_occasion, name="enrol"),
    path("accounts/profile/", account_views.profile, name="profile"),
    path("accounts/privacy/export/", account_views.privacy_export, name="privacy_export"),
    path("accounts/privacy/delete/", account_views.privacy_delete, name="privacy_delete"),
    path("accounts/privacy/deleted/", account_views.privacy_deleted, name="privacy_deleted"),
    path("accounts/", include("allauth.urls")),
    path("my-courses/", include("enrolment.urls")),
    path("alerts/", include("catalogue.urls")),
    # The line manager's answer, from the e-mail's signed link (no account)
    path("line-manager/<str:token>/", manager_views.answer, name="manager_answer"),
    # /sv/intyg/, /en/certificate/: public verification of certificates of attendance
    path(verify_route, enrolment_views.verify_certificate, name="verify_certificate"),
    # /sv/utvardering/<token>/, /en/evaluation/<token>/: a participant's personal evaluation link
    path(evaluation_route, enrolment_views.evaluate, name="evaluation"),
    # Page routes named like files (feed.ics, occasions/12.ics): Wagtail's own pattern takes only paths that
    # end in "/", so these reach its serve view (page routing, privacy and cache hooks) through this one.
    re_path(r"^((?:[\w\-]+/)*[\w\-]+\.ics)$", wagtail_serve),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler404 = "catalogue.views.page_not_found"
handler500 = "atmp.views.server_error"
