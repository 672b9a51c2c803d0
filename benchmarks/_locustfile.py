"""Council staff using the service, for benchmarks/load.py (run by locust in
its own process; nothing here is imported by the service).

Each simulated person has their own account in one of five roles, signs in
through the sign-in form once, then reads pages in the mix their role
would, pausing 1-5 s between pages: staff read a page before the next click,
and a pause under a second would be a script, not a person.

The service runs as it does behind the council's TLS proxy: every request
says X-Forwarded-Proto: https, as the proxy would, and the service's Secure
cookies are sent back over this loopback connection as a browser sends
them over TLS.
"""

import json
import os
import random
import re

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115
ACCOUNTS = list(PLAN["accounts"])
random.Random(0).shuffle(ACCOUNTS)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SAMPLES: list[tuple[str, float, bool]] = []


def _contract(plan):
    return f"/contracts/{random.choice(plan['contracts'])}/", "contract"


def _provider(plan):
    return f"/providers/{random.choice(plan['providers'])}/", "provider"


def _register(plan):
    return random.choice(
        [
            "/contracts/",
            "/contracts/",
            f"/contracts/?page={random.randint(2, 100)}",
            "/contracts/?status=live&sort=end",
            f"/contracts/?q={random.choice(['supported', 'living', 'care', 'scheme 12'])}",
            "/contracts/?service_area=supported_living&ending_within=6",
        ]
    ), "register"


def _fixed(path, name):
    return lambda plan: (path, name)


def _pick(key, url, name):
    return lambda plan: (url.format(random.choice(plan[key])), name)


PAGES = {
    "home": _fixed("/", "home"),
    "register": _register,
    "contract": _contract,
    "decisions_due": _fixed("/contracts/decisions-due/", "decisions due"),
    "providers": _fixed("/providers/", "providers"),
    "provider": _provider,
    "systems": _fixed("/procurement/", "purchasing systems"),
    "system": _pick("systems", "/procurement/systems/{}/", "purchasing system"),
    "call_off": _pick("call_offs", "/procurement/call-offs/{}/", "call-off"),
    "budget": _fixed("/finance/", "finance budget"),
    "savings": _fixed("/finance/savings/", "savings"),
    "recommissioning": _pick("recommissionings", "/finance/savings/{}/", "a recommissioning"),
    "schemes": _fixed("/finance/schemes/", "schemes"),
    "scheme": _pick("schemes", "/finance/schemes/{}/", "a scheme"),
}

# How often each role opens each page, roughly as their work goes: the
# register and contracts for everyone, procurement for procurement officers,
# finance for finance officers. Pages a role may not open are left out.
MIX = {
    "commissioning_officer": {
        "home": 3, "register": 4, "contract": 6, "decisions_due": 2, "providers": 1,
        "provider": 2, "systems": 1, "system": 1, "call_off": 2, "budget": 1, "savings": 1,
        "recommissioning": 1, "schemes": 1, "scheme": 1,
    },
    "procurement_officer": {
        "home": 3, "register": 2, "contract": 2, "providers": 2, "provider": 2, "systems": 2,
        "system": 3, "call_off": 5, "budget": 1, "savings": 1,
    },
    "approving_manager": {
        "home": 3, "register": 2, "contract": 4, "decisions_due": 3, "provider": 1,
        "systems": 1, "call_off": 2, "budget": 1, "savings": 1,
    },
    "finance_officer": {
        "home": 2, "register": 2, "contract": 2, "budget": 4, "savings": 3,
        "recommissioning": 2, "schemes": 2, "scheme": 2, "systems": 1, "call_off": 1,
    },
    "auditor": {
        "home": 2, "register": 4, "contract": 4, "decisions_due": 1, "providers": 1,
        "provider": 2, "systems": 1, "system": 1, "call_off": 1, "budget": 1, "savings": 1,
        "recommissioning": 1, "schemes": 1, "scheme": 1,
    },
}  # fmt: skip


@events.request.add_listener
def _record(request_type, name, response_time, exception, **kwargs):
    SAMPLES.append((name, response_time, exception is None))


@events.quitting.add_listener
def _write_samples(environment, **kwargs):
    with open(os.environ["LOAD_SAMPLES"], "w") as out:
        json.dump(SAMPLES, out)


class CouncilStaff(HttpUser):
    wait_time = between(1, 5)

    def on_start(self):
        self.username, self.role = ACCOUNTS.pop()
        self.client.headers["X-Forwarded-Proto"] = "https"
        self.mix = MIX[self.role]
        self.sign_in()

    def sign_in(self):
        with self.client.get(
            "/sign-in/", name="sign-in form", allow_redirects=False, catch_response=True
        ) as form:
            token = CSRF.search(form.text)
            self.as_over_tls()
            if form.status_code != 200 or not token:
                form.failure(f"sign-in form: {form.status_code}")
                return
        with self.client.post(
            "/sign-in/",
            name="sign-in",
            data={
                "username": self.username,
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token.group(1),
            },
            # The CSRF check of a secure request wants a same-origin referrer.
            headers={"Referer": f"https://{self.host.split('://', 1)[1]}/sign-in/"},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            self.as_over_tls()
            if response.status_code != 302 or response.headers.get("Location") != "/":
                response.failure(f"sign-in refused: {response.status_code}")

    def as_over_tls(self):
        """requests keeps Secure cookies for https:// only: this connection
        stands in for the proxy's TLS, so send them back over it."""
        for cookie in self.client.cookies:
            cookie.secure = False

    @task
    def read_a_page(self):
        kind = random.choices(list(self.mix), weights=list(self.mix.values()))[0]
        path, name = PAGES[kind](PLAN)
        # A redirect here would be to the sign-in page: the session was lost.
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            self.as_over_tls()
            if response.status_code != 200:
                response.failure(f"{path}: {response.status_code}")
