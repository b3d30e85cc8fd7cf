from core.views import healthz


class HealthCheckMiddleware:
    """Answers /healthz/ first of all: before the Host header is checked, since probes ask by
    address (the container's HEALTHCHECK asks 127.0.0.1, a load balancer the machine's IP, none of
    them in ALLOWED_HOSTS), and before the HTTPS redirect, since they speak plain HTTP. The answer
    says only that the process serves and the database answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz/":
            return healthz(request)
        return self.get_response(request)
