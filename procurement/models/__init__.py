from procurement.models.call_offs import (
    Bid,
    BidAccess,
    BidAnswer,
    BidDocument,
    CallOff,
    Clarification,
    Criterion,
    Invitation,
)
from procurement.models.evaluation import ConsensusScore, EvaluatorAssignment, Score
from procurement.models.packages import CarePackage, PackageBid
from procurement.models.systems import (
    Admission,
    Application,
    ApplicationAnswer,
    ApplicationWindow,
    Lot,
    PurchasingSystem,
    SelectionQuestion,
)

__all__ = [
    "Admission",
    "Application",
    "ApplicationAnswer",
    "ApplicationWindow",
    "Bid",
    "BidAccess",
    "BidAnswer",
    "BidDocument",
    "CallOff",
    "CarePackage",
    "Clarification",
    "ConsensusScore",
    "Criterion",
    "EvaluatorAssignment",
    "Invitation",
    "Lot",
    "PackageBid",
    "PurchasingSystem",
    "Score",
    "SelectionQuestion",
]
