"""Rate limits on joining and getting back in: sign-ups and invitation uses
per client address, reset requests per address and per account."""
import pytest
import sqlalchemy as sa

from scratchpad.accounts import service
from scratchpad.extensions import db
from scratchpad.models import User

from .helpers import PASSWORD, visible_text
from .test_rate_limits import make_limited_app, visitor
from .test_registration import set_policy, sign_up_data


@pytest.fixture
def limited(app, database, mail_settings):
    limited = make_limited_app(database, SIGNUP_LIMITS_PER_ADDRESS="2 per minute",
                               INVITATION_LIMITS_PER_ADDRESS="2 per minute",
                               RESET_LIMITS_PER_ADDRESS="4 per minute",
                               RESET_LIMITS_PER_ACCOUNT="2 per minute", **mail_settings)
    yield limited
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()


def account_count(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(User.id)))


def test_sign_ups_per_address(limited, smtp_server):
    set_policy(limited, "open")
    web = visitor(limited)
    for number in range(2):
        data = sign_up_data(f"user{number}", email=f"user{number}@example.org")
        assert web.post_form("/signup/", data, form_page="/login/").status_code == 302
        web = visitor(limited)  # logged out again, same address
    refused = web.post_form("/signup/", sign_up_data("user9", email="user9@example.org"),
                            form_page="/login/")
    assert refused.status_code == 429
    assert "too many sign-ups from your address" in visible_text(refused)
    assert account_count(limited) == 2
    other = visitor(limited, address="192.0.2.2")
    assert other.post_form("/signup/", sign_up_data("user9", email="user9@example.org"),
                           form_page="/login/").status_code == 302


def test_invitation_uses_per_address(limited, smtp_server):
    set_policy(limited, "invite")
    web = visitor(limited)
    path = "/signup/" + "A" * 59
    for _ in range(2):
        assert web.post_form(path, sign_up_data(), form_page="/login/").status_code == 404
    assert web.post_form(path, sign_up_data(), form_page="/login/").status_code == 429


def test_reset_requests_per_account_and_per_address(limited, smtp_server):
    with limited.app_context():
        service.create_user("carol", PASSWORD, email="carol@example.org")
    web = visitor(limited)
    for _ in range(2):
        assert web.post_form("/reset-password/", {"email": "carol@example.org"}).status_code == 302
    refused = web.post_form("/reset-password/", {"email": "CAROL@example.org"})
    assert refused.status_code == 429
    assert "too many password reset requests for that address" in visible_text(refused)
    assert len(smtp_server.wait_for("carol@example.org", 2)) == 2

    # Another address from the same client: the refused request counted too, so one
    # more, and then the limit of the client address.
    assert web.post_form("/reset-password/", {"email": "x@example.org"}).status_code == 302
    refused = web.post_form("/reset-password/", {"email": "y@example.org"})
    assert refused.status_code == 429
    assert "from your address" in visible_text(refused)
