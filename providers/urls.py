from django.urls import path

from providers import views

app_name = "providers"

urlpatterns = [
    path("", views.ProviderListView.as_view(), name="list"),
    path("add/", views.ProviderCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ProviderDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ProviderUpdateView.as_view(), name="edit"),
    path("<int:pk>/history/", views.ProviderHistoryView.as_view(), name="history"),
    path("<int:pk>/contacts/add/", views.ContactCreateView.as_view(), name="contact_create"),
    path(
        "<int:pk>/contacts/<int:contact_pk>/edit/",
        views.ContactUpdateView.as_view(),
        name="contact_edit",
    ),
    path(
        "<int:pk>/contacts/<int:contact_pk>/remove/",
        views.ContactRemoveView.as_view(),
        name="contact_remove",
    ),
]
