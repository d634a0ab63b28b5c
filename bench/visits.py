"""Timing what a person does one request at a time: logging in and posting."""
import http.cookiejar
import re
import statistics
import time
import urllib.error
import urllib.parse
import urllib.request


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """One browser: keeps its cookies, follows no redirects."""

    def __init__(self, base_url):
        self.base_url = base_url
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects)

    def request(self, path, form=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self._opener.open(self.base_url + path, data=data, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as answer:  # any status but 2xx
            return answer.code, answer.read().decode()

    def csrf_token(self, path):
        status, page = self.request(path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    def timed_post(self, path, form, expected_status=302):
        """Seconds the POST took; the page holding the form is fetched first."""
        form = {**form, "csrf_token": self.csrf_token(path)}
        started = time.perf_counter()
        status, _ = self.request(path, form)
        elapsed = time.perf_counter() - started
        if status != expected_status:
            raise RuntimeError(f"POST {path} answered {status}, not {expected_status}")
        return elapsed


def login_and_post_times(base_url, usernames, password, posts_per_user):
    """Median milliseconds of a successful login and of posting a comment.

    Each user logs in once and posts a few comments: both stay within the
    site's default rate limits, which are measured as they are."""
    logins, posts = [], []
    for username in usernames:
        visitor = Visitor(base_url)
        logins.append(visitor.timed_post("/login/", {"username": username, "password": password}))
        for number in range(posts_per_user):
            posts.append(visitor.timed_post("/", {"contents": f"Timed comment {number}"}))
    return statistics.median(logins) * 1000, statistics.median(posts) * 1000
