"""What a worker holds: Argon2's working memory is given back after every
password check, not only after the first (glibc's malloc would keep it from the
second on), and the modules only commands need are not imported to serve pages."""
import platform
import subprocess
import sys

import pytest

from scratchpad.extensions import MIGRATIONS_DIRECTORY
from scratchpad.maintenance.adoption import adopt_older_database
from scratchpad.maintenance.migrate import say_what_is_upgraded
from support.site_processes import REPOSITORY

CHECKS = 30

MEASURE = f"""
from scratchpad import create_app
from scratchpad.accounts.passwords import hash_password, password_matches

def resident_mib():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20

create_app({{"SECRET_KEY": "x" * 32, "DATABASE_URL": "sqlite://"}})
before = resident_mib()
known = hash_password("correct horse battery")
for _ in range({CHECKS}):
    password_matches(known, "a wrong password")
print(resident_mib() - before)
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="measures glibc's malloc")
def test_password_checks_leave_no_working_memory_behind():
    grown = subprocess.run([sys.executable, "-c", MEASURE], cwd=REPOSITORY, check=True,
                           capture_output=True, text=True).stdout.split()[-1]
    # One Argon2 check works in 19 MiB; kept, it would show as that much growth.
    assert float(grown) < 8, f"resident memory grew by {float(grown):.1f} MiB"


SERVING_IMPORTS = """
import sys
from scratchpad import create_app

app = create_app({"SECRET_KEY": "x" * 32, "DATABASE_URL": "sqlite://"})
app.test_client().get("/")
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_a_process_serving_pages_leaves_the_command_line_modules_unimported():
    imported = subprocess.run([sys.executable, "-c", SERVING_IMPORTS], cwd=REPOSITORY,
                              check=True, capture_output=True, text=True).stdout.split()
    assert not {"alembic", "flask_migrate", "mako", "markdown_it"} & set(imported)


def test_migrations_bind_when_first_asked_for(app):
    configuration = app.extensions["migrate"]
    assert configuration.directory == MIGRATIONS_DIRECTORY
    assert configuration.configure_args["render_as_batch"] is True
    assert configuration.migrate.configure_callbacks == [say_what_is_upgraded, adopt_older_database]
    assert app.test_cli_runner().invoke(args=["db", "current"]).exit_code == 0
    listed = app.test_cli_runner().invoke(args=["db", "--help"])
    assert "upgrade" in listed.output and "downgrade" in listed.output
