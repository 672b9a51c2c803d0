"""Demo providers: real adult social care suppliers as published on
Contracts Finder (../shared/data/cf_ocds_social_care_releases.json and
cf_awards_flattened_register_view.csv, OGL v3.0). Only what was published
is typed in; nothing is made up, so most have no Companies House number.

The council papers do not say who won their contracts, and a real supplier
must not be shown holding a contract it never held (one of them has a
performance failure on record), so the papers' contracts go to providers
named "Demonstration ...", as the council is "Demonstration Council": made
up, and saying so in their names."""

from providers.models import Provider

PROVIDERS = [
    {
        "legal_name": "Independent Care Group",
        "address_line_1": "5 & 6 Manor Court, Scarborough Business Park",
        "town": "Scarborough",
        "postcode": "YO11 3TU",
    },
    {
        "legal_name": "Bleep 360 Care Ltd",
        "is_sme": True,
        "address_line_1": "4 Minster Court, Tuscam Way",
        "town": "Camberley",
        "postcode": "GU15 3YY",
    },
    {
        "legal_name": "Arch Futures Ltd",
        "is_sme": True,
        "address_line_1": "Phoenix Studios, Studio 5, 253-255 Belgrave Gate",
        "town": "Leicester",
        "postcode": "LE1 3HU",
    },
    {
        "legal_name": "Independent Domestic Abuse Services (IDAS)",
        "address_line_1": "39 Blossom Street",
        "town": "York",
        "postcode": "YO24 1AQ",
    },
    {
        "legal_name": "Caring For Care Limited",
        "address_line_1": "Suite F10, The Old Town Hall, Gimson Street",
        "town": "Stoke-on-Trent",
        "postcode": "ST4 3FF",
    },
    {
        "legal_name": "One YMCA",
        "address_line_1": "28-30 Meadway",
        "town": "Bedford",
        "postcode": "MK41 9HU",
    },
    {
        "legal_name": "Apt Care Options Ltd",
        "address_line_1": "Albert Buildings, Diamond Suite, 2 Castle Mews",
        "town": "Rugby",
        "postcode": "CV21 2XL",
    },
    {
        "legal_name": "Like Care Limited",
        "address_line_1": "Unit 2, Bow Court, Fletchworth Gate",
        "town": "Coventry",
        "postcode": "CV5 6SP",
    },
    {
        "legal_name": "Appello Careline Limited",
        "companies_house_number": "03229746",
        "is_sme": True,
    },
]


# Made up, for the papers' contracts (contracts/demo.py), in the Sefton
# area the papers are from.
ILLUSTRATIVE = [
    {
        "legal_name": "Demonstration Independent Living Ltd",
        "town": "Bootle",
        "postcode": "L20 3NJ",
    },
    {
        "legal_name": "Demonstration Whole Life Support CIC",
        "is_vcse": True,
        "town": "Southport",
        "postcode": "PR8 1DA",
    },
    {
        "legal_name": "Demonstration Supported Living Ltd",
        "is_sme": True,
        "town": "Crosby",
        "postcode": "L23 5SR",
    },
]


def load(stdout) -> None:
    from core.models import User
    from providers.services import provider_create

    by = User.objects.filter(username="administrator").first()
    added = 0
    for fields in [*PROVIDERS, *ILLUSTRATIVE]:
        if not Provider.objects.filter(legal_name=fields["legal_name"]).exists():
            provider_create(by=by, **fields)
            added += 1
    stdout.write(f"  {len(PROVIDERS)} providers and {len(ILLUSTRATIVE)} made-up ones ({added} new)")
