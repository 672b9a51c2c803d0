from django.contrib.auth.mixins import PermissionRequiredMixin


class PermissionRequired(PermissionRequiredMixin):
    """Signed-in users without the permission get 403; signed-out users are
    already sent to sign in by LoginRequiredMiddleware."""

    raise_exception = True
