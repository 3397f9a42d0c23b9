from django.urls import path

from . import alert_views

urlpatterns = [
    path("", alert_views.follow, name="alert_follow"),
    path("confirm/<str:token>/", alert_views.confirm, name="alert_confirm"),
    path("unsubscribe/<str:token>/", alert_views.unsubscribe, name="alert_unsubscribe"),
    path("<int:pk>/delete/", alert_views.delete, name="alert_delete"),
    path("<int:pk>/frequency/", alert_views.change_frequency, name="alert_frequency"),
]
