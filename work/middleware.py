from work.context_processors import SESSION_KEY

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ForgetQueueCountOnWrite:
    """A person's own decision, submission or change usually changes their
    queue: the navigation counts afresh on the page they see next."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if request.method not in SAFE_METHODS and session is not None:
            session.pop(SESSION_KEY, None)
        return self.get_response(request)
