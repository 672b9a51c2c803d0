"""Writes that change accounts and roles."""

from datetime import timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.roles import ROLE_PERMISSIONS, Role


def _permissions(codes: set[str], using: str) -> list[Permission]:
    found = []
    for code in sorted(codes):
        app_label, codename = code.split(".", 1)
        found.append(
            Permission.objects.using(using).get(
                content_type__app_label=app_label, codename=codename
            )
        )
    return found


@transaction.atomic
def roles_sync(*, using: str = "default") -> None:
    """Make each role's group hold exactly the permissions declared in code."""
    # post_migrate reaches apps one at a time; create every app's permissions
    # first so a role can refer to an app that comes later in INSTALLED_APPS.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    for role in Role:
        group, _ = Group.objects.using(using).get_or_create(name=role.label)
        if role is Role.ADMINISTRATOR:
            group.permissions.set(Permission.objects.using(using).all())
        else:
            group.permissions.set(_permissions(ROLE_PERMISSIONS[role], using))


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str,
    role: Role,
    first_name: str = "",
    last_name: str = "",
    job_title: str = "",
    delegated_authority_limit: Decimal | None = None,
):
    from core.models import User

    problem = delegated_authority_problem(role_labels={role.label}, limit=delegated_authority_limit)
    if problem:
        raise ValueError(problem)
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        job_title=job_title,
        delegated_authority_limit=delegated_authority_limit,
        # Django's admin is for administrators only; see CouncilAdminSite.
        is_staff=role is Role.ADMINISTRATOR,
    )
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=role.label)])
    return user


@transaction.atomic
def user_deactivate(*, user, by) -> bool:
    """Stop a user signing in, for good or until reactivated in the admin.

    Anyone who has changed anything is deactivated, never deleted: the
    history names them as the author of each change (core/audit.py).
    Returns False if they were already inactive."""
    if user.pk == by.pk:
        raise ValueError("You cannot deactivate your own account")
    if not user.is_active:
        return False
    user.is_active = False
    user._history_user = by
    user._change_reason = "Deactivated"
    user.save(update_fields=["is_active"])
    return True


PASSWORD_RESET_EMAIL_INTERVAL = timedelta(minutes=5)


def password_reset_request(*, email: str) -> None:
    """Queue "a reset was asked for this address". The page does exactly
    this whether or not an account uses the address, so neither its answer
    nor its timing says which; the worker looks the account up."""
    from core import outbox

    with transaction.atomic():
        outbox.enqueue("password_reset", email=email)


def password_reset_deliver(*, email: str) -> None:
    """Send a reset link to each active account with this address, at most
    one every few minutes each. Runs in the worker's transaction: if the
    mail server fails, the claim on the interval is undone with it."""
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.contrib.auth.forms import PasswordResetForm
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    # Links go to the address the service is published at, never to
    # whatever Host the request carried.
    site = urlsplit(settings.SITE_URL)
    for user in PasswordResetForm().get_users(email):
        if not password_reset_may_send(user=user):
            continue
        context = {
            "email": email,
            "domain": site.netloc,
            "protocol": site.scheme,
            "site_name": settings.SERVICE_NAME,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "user": user,
            "token": default_token_generator.make_token(user),
        }
        subject = render_to_string("registration/password_reset_subject.txt", context)
        EmailMessage(
            subject="".join(subject.splitlines()),
            body=render_to_string("registration/password_reset_email.txt", context),
            to=[user.email],
        ).send()


def password_reset_may_send(*, user) -> bool:
    """Claim the right to send this account a reset email now; False if one
    went in the last few minutes. One conditional UPDATE, so two requests at
    once cannot both send."""
    from core.models import User

    now = timezone.now()
    claimed = (
        User.objects.filter(pk=user.pk)
        .filter(
            Q(password_reset_sent_at__isnull=True)
            | Q(password_reset_sent_at__lte=now - PASSWORD_RESET_EMAIL_INTERVAL)
        )
        .update(password_reset_sent_at=now)
    )
    return claimed == 1


def account_unlock(*, username: str) -> None:
    """Lift a sign-in lockout, e.g. once the owner has proved who they are by
    resetting their password."""
    from axes.utils import reset

    reset(username=username)


def delegated_authority_problem(*, role_labels, limit) -> str | None:
    """Why a user's role and delegated authority limit do not fit, if they don't."""
    is_manager = Role.APPROVING_MANAGER.label in role_labels
    if is_manager and limit is None:
        return "An approving manager needs a delegated authority limit"
    if limit is not None and limit < 0:
        return "The delegated authority limit cannot be negative"
    if limit is not None and not is_manager:
        return "Only approving managers have a delegated authority limit"
    return None
