"""``/healthz`` for load balancers: whether this process can reach its database,
and whether that database's schema is the one the code needs."""
import sqlalchemy as sa
from flask import Blueprint, current_app

from ..extensions import csrf, db, limiter
from . import schema_state

bp = Blueprint("health", __name__)

NOT_CACHED = {"Cache-Control": "no-store"}


@bp.route("/healthz")
@limiter.exempt
@csrf.exempt
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
        schema_problem = schema_state.schema_problem(db.session.connection())
    except sa.exc.SQLAlchemyError as error:
        db.session.rollback()
        current_app.logger.warning("Health check: the database is not answering: %s",
                                   getattr(error, "orig", None) or error)
        return {"status": "unavailable", "reason": "database not answering"}, 503, NOT_CACHED
    if schema_problem:
        # The revisions stay in the log: they would tell anyone which release runs here.
        current_app.logger.error("Health check: %s.", schema_problem)
        return ({"status": "unavailable", "reason": "database schema not the code's"},
                503, NOT_CACHED)
    return {"status": "ok"}, 200, NOT_CACHED
