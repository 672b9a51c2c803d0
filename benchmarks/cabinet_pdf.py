"""A cabinet report PDF for 500 contracts, against WeasyPrint rendering a
plain HTML table of the same 500 rows.

Headline: our report's rendering time divided by the plain table's
(target <= 1.3). Both run in this process on the same rows, interleaved,
and both are tagged PDF/UA-1 through core.pdf.render_pdf, as every PDF we
make is (decision 35): tagging costs WeasyPrint some 20% on either, and
this measures what our report adds.
"""

from _harness import setup, timed_pair

setup()

import subprocess
from datetime import date, timedelta
from decimal import Decimal

from django.utils.html import escape

from contracts import terms
from contracts.models import Contract
from finance import reports
from providers.models import Provider

TARGET = 1.3
PREFIX = "BENCH-PDF-"


def plain_table(rows) -> str:
    body = "".join(
        f"<tr><td>{escape(r['reference'])}</td><td>{escape(r['title'])}</td>"
        f"<td>{escape(r['provider'])}</td><td>£{r['annual']:,.2f}</td>"
        f"<td>£{r['whole_life']:,.2f}</td><td>{escape(r['period'])}</td></tr>"
        for r in rows
    )
    return (
        '<html lang="en-GB"><head><title>Contracts</title></head>'
        f"<body><h1>Contracts</h1><table>{body}</table></body></html>"
    )


def main():
    from core.pdf import render_pdf

    provider = Provider.objects.create(legal_name=f"{PREFIX}provider")
    term = terms.Term.parse("3+1+1")
    Contract.objects.bulk_create(
        Contract(
            reference=f"{PREFIX}{n:04d}",
            title=f"Supported living scheme {n}",
            service_area="supported_living",
            provider=provider,
            start_date=date(2024, 4, 1) + timedelta(days=n),
            term=term.notation,
            annual_value=Decimal(100000 + n),
            option_count=2,
            initial_end_date=term.initial_end(date(2024, 4, 1) + timedelta(days=n)),
            current_end_date=term.initial_end(date(2024, 4, 1) + timedelta(days=n)),
            max_end_date=term.max_end(date(2024, 4, 1) + timedelta(days=n)),
            whole_life_value=terms.whole_life_value(term, Decimal(100000 + n)),
        )
        for n in range(500)
    )
    try:
        contracts = Contract.objects.filter(reference__startswith=PREFIX).select_related("provider")
        rows = reports.contracts_rows(contracts)
        ours = reports.contracts_pdf(rows, "Supported living contracts")
        info = subprocess.run(
            ["/usr/bin/pdfinfo", "-"], input=ours, capture_output=True, check=True
        )
        pages = next(
            line.split()[-1]
            for line in info.stdout.decode().splitlines()
            if line.startswith("Pages:")
        )
        plain = plain_table(rows)
        ours_ms, plain_ms = timed_pair(
            lambda: reports.contracts_pdf(rows, "Supported living contracts"),
            lambda: render_pdf(plain),
            repeat=5,
            warmup=1,
        )
        print(
            f"500 contracts: our report {ours_ms:.0f} ms ({len(ours):,} bytes, "
            f"{pages} pages), plain table {plain_ms:.0f} ms"
        )
        print(f"cabinet_pdf: {ours_ms / plain_ms:.2f} (target <= {TARGET})")
    finally:
        Contract.objects.filter(reference__startswith=PREFIX).delete()
        provider.delete()


main()
