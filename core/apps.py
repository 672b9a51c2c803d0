from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = "Accounts and roles"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.core import checks
        from django.db.models.signals import post_migrate

        from core import resume
        from core.audit import check_audit_trail
        from core.roles import sync_roles_after_migrate

        # Groups follow the permissions in code: every migrate brings them up
        # to date, so a new permission reaches its roles without a manual step.
        post_migrate.connect(sync_roles_after_migrate, sender=self)
        checks.register(check_audit_trail, checks.Tags.models)
        user_logged_in.connect(resume.forget_on_sign_in, dispatch_uid="resume.forget_on_sign_in")


class CouncilAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "core.admin_site.CouncilAdminSite"
