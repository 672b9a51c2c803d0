from django.contrib.auth.mixins import PermissionRequiredMixin


class PermissionRequired(PermissionRequiredMixin):
    """Signed-in users without the permission get 403; signed-out users are
    already sent to sign in by LoginRequiredMiddleware.

    The permission is checked before any object is looked up, so a user who
    may not see a kind of record cannot tell from 403 versus 404 which
    records exist. Views load their objects in `load_objects`.
    """

    raise_exception = True

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.load_objects()
        # Skip PermissionRequiredMixin.dispatch: the check is done above.
        return super(PermissionRequiredMixin, self).dispatch(request, *args, **kwargs)

    def load_objects(self) -> None:
        """Fetch the objects named in the URL (raising Http404)."""
