from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.PreferencesView.as_view(), name="preferences"),
]
