from datetime import datetime

from scratchpad.extensions import db
from scratchpad.models import Comment, User


def add_comment(app, content, posted=None, commenter_id=None):
    with app.app_context():
        comment = Comment(content=content, posted=posted, commenter_id=commenter_id)
        db.session.add(comment)
        db.session.commit()
        return comment.id


def test_comment_shows_tutorial_format(app, client, make_user):
    bob = make_user("bob")
    add_comment(app, "Hello", datetime(2017, 9, 1, 17, 44), bob)
    page = client.get("/").get_data(as_text=True)
    assert "Hello" in page
    text = " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert "Posted Friday, 01 September 2017 at 17:44 by bob" in text
    assert '<time datetime="2017-09-01T17:44:00Z"' in page


import re  # noqa: E402
