"""Small helpers shared by the test modules."""
import re

from scratchpad.extensions import db
from scratchpad.models import Comment


def visible_text(response):
    """The page as a reader sees it: tags removed, white space folded."""
    html = response.get_data(as_text=True)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())


def add_comment(app, content, posted=None, commenter_id=None):
    with app.app_context():
        comment = Comment(content=content, posted=posted, commenter_id=commenter_id)
        db.session.add(comment)
        db.session.commit()
        return comment.id


def all_comments(app):
    with app.app_context():
        return [(c.id, c.content, c.posted, c.commenter_id)
                for c in db.session.scalars(db.select(Comment).order_by(Comment.id))]


def is_logged_in(web):
    """Whether the account page opens, rather than sending to the login page."""
    return web.get("/account/").status_code == 200
