"""Password rules shared by the command line and the web forms."""
PASSWORD_MIN_LENGTH = 8


def password_problem(password):
    """What is wrong with a new password, or None."""
    if not password or not password.strip():
        return "The password must not be empty."
    if len(password) < PASSWORD_MIN_LENGTH:
        return f"The password must be at least {PASSWORD_MIN_LENGTH} characters."
    return None
