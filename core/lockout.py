"""Sign-in lockout by account (django-axes) and by address (here).

Axes can lock by username and by IP address, but with one failure limit for
both: six wrong passwords would lock a whole office behind a shared NAT
address. So Axes locks the account, as before, and this handler adds a
separate, higher limit for the address (docs/decisions/0010-sign-in-limit-by-address.md).
"""

import ipaddress
from contextlib import suppress
from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render


def address_failures(request) -> int:
    """Wrong passwords from the request's address within the cool-off, on
    accounts that have not signed in since (a success deletes that
    account's attempts, so a colleague's typo then success costs nothing)."""
    total = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address,
        attempt_time__gte=get_cool_off_threshold(request),
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


def _address_locked(request) -> bool:
    return address_failures(request) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT


class AccountAndAddressLockout(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            request.sign_in_locked_by = "account"
            return True
        if _address_locked(request):
            request.sign_in_locked_by = "address"
            return True
        return False

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None:
            return
        if getattr(request, "axes_locked_out", False):
            request.sign_in_locked_by = getattr(request, "sign_in_locked_by", "account")
        elif settings.AXES_LOCK_OUT_AT_FAILURE and _address_locked(request):
            # The wrong password that reaches the limit is answered with the
            # lockout page, as the sixth on one account is.
            request.axes_locked_out = True
            request.axes_credentials = credentials
            request.sign_in_locked_by = "address"
            user_locked_out.send(
                "axes",
                request=request,
                username=credentials.get(settings.AXES_USERNAME_FORM_FIELD),
                ip_address=request.axes_ip_address,
            )


def lockout_response(request, original_response=None, credentials=None):
    by_address = getattr(request, "sign_in_locked_by", "account") == "address"
    return render(
        request,
        "registration/locked_out.html",
        {
            "by_address": by_address,
            "failure_limit": (
                settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
                if by_address
                else settings.AXES_FAILURE_LIMIT
            ),
            "cooloff_timedelta": timedelta(hours=settings.AXES_COOLOFF_TIME),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def client_ip(request) -> str | None:
    """The address of the person signing in. Behind TRUSTED_PROXY_COUNT
    proxies it is the entry the outermost one added to X-Forwarded-For;
    entries to its left come from the client and may be forged."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= count:
            # Axes stores the address in an inet column: junk would be a 500.
            with suppress(ValueError):
                return str(ipaddress.ip_address(hops[-count]))
    return request.META.get("REMOTE_ADDR")
