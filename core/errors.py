class ServiceError(Exception):
    """A change a service refuses. `field` names the form field at fault, if
    any, so a page can show the message beside it; nothing has been saved."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field
