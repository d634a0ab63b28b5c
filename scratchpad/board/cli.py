"""``flask comments rerender``: the HTML of every formatted comment made again
from its text, after the formatting rules have changed."""
import click
import sqlalchemy as sa
from flask import Blueprint

from ..extensions import db
from ..models import Comment
from .formatting import render

comments_cli = Blueprint("comments_cli", __name__, cli_group="comments")

BATCH = 500


@comments_cli.cli.command("rerender")
@click.option("--all", "every_comment", is_flag=True,
              help="Also format the comments from before formatting existed, which are "
                   "otherwise left as the plain text they were posted as.")
def rerender(every_comment):
    """Render the stored text of the comments again with the current rules."""
    changed = seen = 0
    last_id = 0
    while True:
        query = sa.select(Comment).where(Comment.id > last_id).order_by(Comment.id).limit(BATCH)
        if not every_comment:
            query = query.where(Comment.rendered_html.is_not(None))
        batch = db.session.scalars(query).all()
        if not batch:
            break
        for comment in batch:
            html = render(comment.content or "")
            if html != comment.rendered_html:
                comment.rendered_html = html
                changed += 1
        seen += len(batch)
        last_id = batch[-1].id
        db.session.commit()
    click.echo(f"Rendered {seen} comment{'s' if seen != 1 else ''} again; "
               f"{changed} changed.")
