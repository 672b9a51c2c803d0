from django.contrib.postgres.search import SearchVectorField
from django.db import models


class Document(models.Model):
    """What the search finds a record by, kept by the database.

    On PostgreSQL a trigger on each searched table writes a record's row
    here whenever the record is added, its searched columns change, or it is
    removed, whichever way the write came (service, import, admin, raw SQL):
    migrations/0001. Nothing in Python writes these rows. SQLite has no
    triggers here and searches the records' own columns (search.selectors).
    It is a table of its own, not a column on each record's table, so no
    other page reads its width (decision 34).
    """

    kind = models.CharField(max_length=20)
    record_id = models.BigIntegerField()
    # The record's references in capitals, each between "|" ("|01234567|"),
    # so an exact reference is told apart from a word of its text.
    references = models.TextField(default="")
    # The name results of equal rank are ordered by, in lower case.
    name = models.TextField(default="")
    document = SearchVectorField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="one_document_per_record")
        ]

    def __str__(self):
        return f"{self.kind} {self.record_id}"
