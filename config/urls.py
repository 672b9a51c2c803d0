from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("work.urls")),
    path("", include("core.urls")),
    path("providers/", include("providers.urls")),
    path("contracts/", include("contracts.urls")),
    path("contracts/", include("performance.urls")),
    path("contracts/<int:pk>/documents/", include("documents.urls")),
    path("contracts/", include("performance.urls_failures")),
    path("procurement/", include("procurement.urls")),
    path("finance/", include("finance.urls")),
    path("notifications/", include("notifications.urls")),
    path("search/", include("search.urls")),
    path("admin/", admin.site.urls),
]
