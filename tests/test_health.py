"""``/healthz``: 200 when the database answers, 503 when it does not, and
nothing else in the answer."""
import pytest

from scratchpad import create_app
from scratchpad.extensions import db, limiter

pytestmark = pytest.mark.engines

UNREACHABLE_DATABASES = {
    "sqlite": "sqlite:////nonexistent-directory/scratchpad.sqlite",
    "mysql": "mysql://scratchpad:hunter2-secret@127.0.0.1:9/scratchpad",
    "postgresql": "postgresql://scratchpad:hunter2-secret@127.0.0.1:9/scratchpad",
}


def test_healthy_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("url", UNREACHABLE_DATABASES.values(), ids=UNREACHABLE_DATABASES)
def test_unavailable_when_the_database_does_not_answer(url, caplog):
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "k" * 32})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "reason": "database not answering"}
    assert "hunter2" not in response.get_data(as_text=True)
    assert any("database is not answering" in record.getMessage() for record in caplog.records)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app_limited_to_two_requests(database):
    app = create_app({"DATABASE_URL": database.url, "SECRET_KEY": "k" * 32,
                      "RATELIMIT_ENABLED": True, "RATELIMIT_APPLICATION": "2 per minute"})
    yield app
    # The limiter is shared by every app of the test run.
    limiter.limit_manager.set_application_limits([])
    with app.app_context():
        db.engine.dispose()


def test_not_rate_limited(app_limited_to_two_requests):
    client = app_limited_to_two_requests.test_client()
    assert [client.get("/logout/").status_code for _ in range(3)] == [302, 302, 429]
    assert {client.get("/healthz").status_code for _ in range(5)} == {200}
