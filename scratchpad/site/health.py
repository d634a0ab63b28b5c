"""``/healthz`` for load balancers: whether this process can reach its database."""
import sqlalchemy as sa
from flask import Blueprint, current_app

from ..extensions import csrf, db, limiter

bp = Blueprint("health", __name__)

NOT_CACHED = {"Cache-Control": "no-store"}


@bp.route("/healthz")
@limiter.exempt
@csrf.exempt
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as error:
        db.session.rollback()
        current_app.logger.warning("Health check: the database is not answering: %s",
                                   getattr(error, "orig", None) or error)
        return {"status": "unavailable"}, 503, NOT_CACHED
    return {"status": "ok"}, 200, NOT_CACHED
