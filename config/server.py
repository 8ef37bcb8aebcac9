"""What daphne has no option for."""

import functools


def leave_form_parsing_to_django() -> None:
    """Twisted parses every urlencoded or multipart POST body into request.args (its default,
    which it warns can use large amounts of memory for large uploads), and daphne never reads
    them: it hands the raw body to Django, which parses it again. Turning Twisted's parsing off
    saves that work on every form post and listing-image upload, and a MIME parse of the
    Content-Type header on every POST (about 5% of a daphne process's CPU on the gate's scan
    API, py-spy under bench/checkin.py)."""
    try:
        from daphne.http_protocol import WebRequest
    except ImportError:  # served by another ASGI server
        return
    if getattr(WebRequest.__init__, "leaves_form_parsing_to_django", False):
        return
    original = WebRequest.__init__

    @functools.wraps(original)
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("parsePOSTFormSubmission", False)
        original(self, *args, **kwargs)

    __init__.leaves_form_parsing_to_django = True
    WebRequest.__init__ = __init__
