"""The test client the suite uses."""

from django.test import Client


class ReadingClient(Client):
    """The test client, reading a streamed answer (CSV, audit exports) to its
    end before returning it, as a browser would. Left unread, the stream's
    server-side cursor on PostgreSQL is closed only when garbage-collected,
    inside some later test's transaction, which that failed close aborts."""

    def request(self, **request):
        response = super().request(**request)
        if getattr(response, "streaming", False):
            response.streaming_content = list(response.streaming_content)
        return response
