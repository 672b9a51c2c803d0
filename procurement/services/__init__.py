"""Writes for procurement: purchasing systems and admission, call-offs and
sealed bids, evaluation and award, care packages. Each is atomic, checks the
status it starts from, and records who and when."""

from core.errors import ServiceError


class ProcurementError(ServiceError):
    pass
