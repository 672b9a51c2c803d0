from django.db import models


class DocumentKind(models.TextChoices):
    SIGNED_CONTRACT = "signed_contract", "Signed contract"
    VARIATION_LETTER = "variation_letter", "Variation letter"
    EVIDENCE = "evidence", "Evidence"
    CORRESPONDENCE = "correspondence", "Correspondence"
    OTHER = "other", "Other"


# What a document may be attached to within its contract, as the upload
# page's ?for=<name>:<id> names it: (app label, model name, what a reader
# calls it). Each has a `contract` foreign key. The contract change model is
# built alongside this app, so it is named here, never imported.
ATTACHABLE = {
    "change": ("contracts", "contractchange", "contract change"),
    "return": ("performance", "monitoringreturn", "monitoring return"),
    "failure": ("performance", "performancefailure", "performance failure"),
}
