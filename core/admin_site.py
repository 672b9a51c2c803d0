from functools import wraps

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from core.validators import plain_text_field


class PlainTextAdminMixin:
    """Every text field of an admin form refuses control characters, as the
    service's own forms do (core.validators)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            plain_text_field(field, field.label or db_field.verbose_name)
        return field


def _plain_text(admin_class):
    inlines = [_plain_text(inline) for inline in getattr(admin_class, "inlines", ())]
    return type(admin_class.__name__, (PlainTextAdminMixin, admin_class), {"inlines": inlines})


class CouncilAdminSite(admin.AdminSite):
    """Django's admin, for administrators only.

    There is one sign-in page for the whole service, so lockout and the idle
    timeout apply to the admin too; other roles are refused with 403 rather
    than shown the admin's own sign-in form.
    """

    site_header = "Care commissioning administration"
    site_title = "Care commissioning administration"
    index_title = "Administration"

    def register(self, model_or_iterable, admin_class=None, **options):
        # Here, so no ModelAdmin (ours or a package's) can forget the check.
        admin_class = _plain_text(admin_class or admin.ModelAdmin)
        super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request):
        return getattr(request.user, "is_administrator", False)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return guarded

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or request.get_full_path())
