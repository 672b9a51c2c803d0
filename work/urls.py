from django.urls import path

from work import views

# No namespace: "home" is the name every page links to.
urlpatterns = [
    path("", views.QueueView.as_view(), name="home"),
]
