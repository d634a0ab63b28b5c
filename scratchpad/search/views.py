"""/search?q=: one page of comments holding every word of ``q``, newest
first; ``before=<id>`` for older ones (a cursor, as the board's pages)."""
from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..board.paging import page_cursor
from ..extensions import limiter
from ..site.limits import client_address, retry_message, setting
from . import bp, engines
from .snippets import snippet
from .words import MAX_QUERY_LENGTH, SearchRefused, words_of

RESULTS_PER_PAGE = 20

searches_per_address = limiter.limit(
    setting("SEARCH_LIMITS_PER_ADDRESS"), key_func=client_address,
    error_message=retry_message(_l("There have been too many searches from your address.")),
)


@bp.get("/search")
@searches_per_address
def results():
    query = request.args.get("q", "")
    before = page_cursor("before")
    page = {"q": query.replace("\x00", ""), "max_length": MAX_QUERY_LENGTH, "words": [],
            "left_out": [], "results": [], "older_than": None, "refusal": None}
    try:
        words = words_of(query)
    except SearchRefused as refusal:
        page["refusal"] = str(refusal)
        return render_template("search/results.html", **page), 400
    searched, left_out = engines.searchable(words)
    found = engines.matching_comments(searched, current_user, before=before,
                                      limit=RESULTS_PER_PAGE + 1)
    shown = found[:RESULTS_PER_PAGE]
    page.update(
        words=words, left_out=left_out,
        results=[(comment, snippet(comment, searched)) for comment in shown],
        older_than=shown[-1].id if len(found) > RESULTS_PER_PAGE else None,
    )
    return render_template("search/results.html", **page)
