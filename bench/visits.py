"""Timing what a person does one request at a time: logging in and posting."""
import statistics
import time

from support.site_processes import Visitor


def timed_post(visitor, path, form, expected_status=302):
    """Seconds the POST took; the page holding the form is fetched first."""
    form = {**form, "csrf_token": visitor.csrf_token(path)}
    started = time.perf_counter()
    status, _, _ = visitor.request(path, form)
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
        logins.append(timed_post(visitor, "/login/", {"username": username, "password": password}))
        for number in range(posts_per_user):
            posts.append(timed_post(visitor, "/", {"contents": f"Timed comment {number}"}))
    return statistics.median(logins) * 1000, statistics.median(posts) * 1000
