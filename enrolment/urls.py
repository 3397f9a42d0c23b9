from django.urls import path

from . import views

urlpatterns = [
    path("", views.my_courses, name="my_courses"),
    path("<int:pk>/", views.enrolment_detail, name="enrolment_detail"),
    path("<int:pk>/cancel/", views.cancel_enrolment, name="cancel_enrolment"),
    path("<int:pk>/accept/", views.accept_offer, name="accept_offer"),
    path("<int:pk>/manager/", views.change_manager, name="change_manager"),
    path("calendar/reset/", views.reset_calendar_token, name="reset_calendar_token"),
]

# Certificates of attendance
urlpatterns += [
    path("certificate/<int:pk>.pdf", views.download_certificate, name="download_certificate"),
    path("cpd/transcript.pdf", views.download_transcript, name="download_transcript"),
]
