"""What people do besides reading: logging in and posting, one at a time and
many at once."""
import statistics
import threading
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


def logged_in_visitor(base_url, username, password):
    """A visitor who has logged in and, as a browser does, followed the
    redirect to the board: the "Logged in" message is shown and gone."""
    visitor = Visitor(base_url)
    timed_post(visitor, "/login/", {"username": username, "password": password})
    visitor.request("/")
    return visitor


def login_and_post_times(base_url, usernames, password, posts_per_user):
    """Median milliseconds of a successful login and of posting a comment."""
    logins, posts = [], []
    for username in usernames:
        visitor = Visitor(base_url)
        logins.append(timed_post(visitor, "/login/", {"username": username, "password": password}))
        for number in range(posts_per_user):
            posts.append(timed_post(visitor, "/", {"contents": f"Timed comment {number}"}))
    return statistics.median(logins) * 1000, statistics.median(posts) * 1000


def concurrent_posting(base_url, usernames, password, posts_each):
    """Comments per second with one poster per username posting at once, each
    ``posts_each`` comments (form fetched, then posted), and how many failed."""
    posters = [logged_in_visitor(base_url, username, password) for username in usernames]
    tokens = [poster.csrf_token("/") for poster in posters]
    failures = []
    start = threading.Barrier(len(posters) + 1)

    def post(poster, token, number):
        start.wait()
        for count in range(posts_each):
            status, _, _ = poster.request("/", {"contents": f"Poster {number}, comment {count}",
                                                "csrf_token": token})
            if status != 302:
                failures.append(status)

    threads = [threading.Thread(target=post, args=(poster, token, number))
               for number, (poster, token) in enumerate(zip(posters, tokens))]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return (len(posters) * posts_each - len(failures)) / elapsed, len(failures)
