"""A worker gives Argon2's working memory back after every password check,
not only after the first (glibc's malloc would keep it from the second on)."""
import platform
import subprocess
import sys

import pytest

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
