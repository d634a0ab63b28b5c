"""Requests to the API reach the site without their cookies."""


class WithoutCookies:
    """WSGI middleware: a request whose path starts with ``path_prefix`` is
    passed on without its Cookie header. Neither the session cookie nor the
    remember-me cookie can then log it in, and no answer to it sets a cookie."""

    def __init__(self, wsgi_app, path_prefix):
        self.wsgi_app = wsgi_app
        self.path_prefix = path_prefix

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith(self.path_prefix):
            environ.pop("HTTP_COOKIE", None)
        return self.wsgi_app(environ, start_response)
