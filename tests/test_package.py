"""The package as a user installs it: a wheel built from the repository holds
the templates, static files and migrations, and once installed into a fresh
virtual environment outside the repository it upgrades a database and serves
the site. And the pinned files: the runtime set holds no test tool, and the
test set pins the runtime set at the same versions."""
import os
import re
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.error
import urllib.request
import venv
import zipfile
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from support.site_processes import free_port, stop_process

REPOSITORY = Path(__file__).resolve().parent.parent
PACKAGE = REPOSITORY / "scratchpad"
# What the wheel must carry besides the Python modules, as paths under scratchpad/.
PACKAGE_DATA_FOLDERS = ("templates", "static", "migrations")
TEST_TOOLS = {"pytest", "pytest-playwright", "playwright", "hypothesis"}
SECRET_KEY = "k" * 40


# -- the wheel, installed outside the repository ---------------------------------------

def run(command, **kwargs):
    """Run ``command``; fail the test with its output when it exits non-zero."""
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, (
        f"{' '.join(map(str, command))} exited {result.returncode}\n"
        f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """``pip wheel . --no-deps`` from the repository's root. setuptools' build
    folders go to a temporary folder (through ``DIST_EXTRA_CONFIG``), so the
    build leaves nothing in the repository and no stale ``build/lib`` from an
    earlier build can slip into the wheel."""
    work = tmp_path_factory.mktemp("wheel-build")
    build_config = work / "build.cfg"
    build_config.write_text(f"[build]\nbuild_base = {work / 'build'}\n"
                            f"[egg_info]\negg_base = {work}\n")
    wheels = work / "dist"
    run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--quiet", "-w", str(wheels)],
        cwd=REPOSITORY, env={**os.environ, "DIST_EXTRA_CONFIG": str(build_config)})
    (built,) = wheels.glob("scratchpad-*.whl")
    return built


def package_data_files():
    """Every file under scratchpad/templates, static and migrations, as wheel paths."""
    files = set()
    for folder in PACKAGE_DATA_FOLDERS:
        for path in (PACKAGE / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                files.add(path.relative_to(REPOSITORY).as_posix())
    return files


@pytest.mark.slow
def test_the_wheel_holds_the_package_data_and_no_tests(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = package_data_files()
    assert {"scratchpad/migrations/alembic.ini", "scratchpad/migrations/env.py",
            "scratchpad/migrations/script.py.mako", "scratchpad/templates/base.html",
            "scratchpad/static/scratchpad.css"} <= expected
    assert any(name.startswith("scratchpad/migrations/versions/0001_") for name in expected)
    assert expected - names == set(), "package data missing from the wheel"
    modules = {path.relative_to(REPOSITORY).as_posix() for path in PACKAGE.rglob("*.py")
               if "__pycache__" not in path.parts}
    assert modules - names == set(), "modules missing from the wheel"
    top_level = {name.split("/", 1)[0] for name in names}
    assert {folder for folder in top_level if not folder.endswith(".dist-info")} == {"scratchpad"}
    assert not any("__pycache__" in name or name.endswith(".pyc") for name in names)


def fresh_venv(path):
    """A virtual environment at ``path`` that sees the running interpreter's
    installed libraries (one ``.pth`` line, so nothing is downloaded) but not
    the repository, with a ``flask`` command like pip would write."""
    venv.create(path, with_pip=False, symlinks=True)
    python = path / "bin" / "python"
    site_packages = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             cwd=path).stdout.strip())
    ours = sysconfig.get_paths()["purelib"]
    (site_packages / "scratchpad_test_libraries.pth").write_text(ours + "\n")
    (flask_entry,) = [entry for entry in entry_points(group="console_scripts") if entry.name == "flask"]
    module, function = flask_entry.value.split(":")
    script = path / "bin" / "flask"
    script.write_text(f"#!{python}\nimport sys\nfrom {module} import {function}\n"
                      f"sys.exit({function}())\n")
    script.chmod(0o755)
    return python, site_packages


def installed_elsewhere(wheel, tmp_path):
    """The wheel installed in a fresh virtual environment in ``tmp_path``, and an
    empty folder outside the checkout to run it from: (the environment's path,
    its python, its site-packages, the folder)."""
    environment_path = tmp_path / "venv"
    python, site_packages = fresh_venv(environment_path)
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--no-deps", "--no-index", str(wheel)], cwd=tmp_path)
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    return environment_path, python, site_packages, workdir


def outside_environment(tmp_path):
    """The environment of a user's shell: no PYTHONPATH, no settings of ours
    from the test run, a SQLite database in ``tmp_path`` and a long key."""
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith(("PYTHON", "FLASK_", "SCRATCHPAD_", "VIRTUAL_ENV"))
                   and name not in ("DATABASE_URL", "SECRET_KEY")}
    environment.update(DATABASE_URL=f"sqlite:///{tmp_path / 'board.sqlite'}",
                       SECRET_KEY=SECRET_KEY)
    return environment


def get(url):
    """(status, Content-Type, body) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers.get("Content-Type", ""), answer.read().decode()


def wait_for_page(url, process, log_path, seconds=60):
    """The board's page once ``url`` answers 200; fails if the server exits
    or does not answer within ``seconds``."""
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"flask run exited {process.returncode}:\n{log_path.read_text()}")
        try:
            status, _, page = get(url)
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            last = error
        else:
            if status == 200:
                return page
            last = f"status {status}"
        time.sleep(0.1)
    pytest.fail(f"{url} did not answer 200 within {seconds} s ({last}):\n{log_path.read_text()}")


@pytest.mark.slow
def test_the_installed_wheel_upgrades_a_database_and_serves_the_site(wheel, tmp_path):
    environment_path, python, site_packages, workdir = installed_elsewhere(wheel, tmp_path)
    environment = outside_environment(tmp_path)

    where = run([python, "-c", "import scratchpad; print(scratchpad.__file__)"],
                cwd=workdir, env=environment).stdout.strip()
    assert Path(where).resolve().is_relative_to(site_packages.resolve()), where
    assert not Path(where).resolve().is_relative_to(REPOSITORY), where

    flask = environment_path / "bin" / "flask"
    run([flask, "--app", "scratchpad", "db", "upgrade"], cwd=workdir, env=environment)
    assert (tmp_path / "board.sqlite").stat().st_size > 0

    port = free_port()
    log_path = tmp_path / "flask-run.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen([flask, "--app", "scratchpad", "run", "--port", str(port)],
                                  cwd=workdir, env=environment, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        page = wait_for_page(base + "/", server, log_path)
        bootstrap = re.search(r'<link[^>]+href="([^"]*bootstrap[^"]*\.css[^"]*)"', page)
        assert bootstrap, f"no Bootstrap CSS link in the page:\n{page}"
        for path in (bootstrap.group(1), "/static/scratchpad.css"):
            url = path if path.startswith("http") else base + path
            status, content_type, body = get(url)
            assert (status, content_type.split(";")[0]) == (200, "text/css"), (url, status, content_type)
            assert body.strip()
    finally:
        stop_process(server, 10)


@pytest.mark.slow
def test_the_installed_wheel_serves_with_gunicorn_from_any_folder(wheel, tmp_path):
    environment_path, python, _, workdir = installed_elsewhere(wheel, tmp_path)
    instance = tmp_path / "site-instance"
    environment = outside_environment(tmp_path)
    del environment["DATABASE_URL"]
    environment["SCRATCHPAD_INSTANCE_PATH"] = str(instance)

    upgraded = run([environment_path / "bin" / "flask", "--app", "scratchpad", "db", "upgrade"],
                   cwd=workdir, env=environment)
    assert f"The instance folder (config.py, the secret key, the SQLite database by default) " \
           f"is {instance}" in upgraded.stderr
    assert (instance / "scratchpad.sqlite").stat().st_size > 0

    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [python, "-m", "gunicorn", "-c", "python:scratchpad.gunicorn_config",
             "scratchpad.wsgi:application"],
            cwd=workdir, stdout=log, stderr=subprocess.STDOUT,
            env={**environment, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1"})
    try:
        page = wait_for_page(f"http://127.0.0.1:{port}/", server, log_path)
        assert "Scratchpad" in page
        assert get(f"http://127.0.0.1:{port}/healthz")[0] == 200
    finally:
        stop_process(server, 10)
    assert not (workdir / "instance").exists()


# -- the pinned files --------------------------------------------------------------------

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def pins(file_name):
    """{canonical name: version} of a pip-compile output file; every requirement
    line must be an exact pin."""
    pinned = {}
    for line in (REPOSITORY / file_name).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"{file_name}: not an exact pin: {line!r}"
        pinned[canonicalize_name(match.group(1))] = match.group(2)
    return pinned


def declared(extra=None):
    project = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())["project"]
    texts = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return [Requirement(text) for text in texts]


def test_the_runtime_pins_hold_no_test_tool_and_the_test_pins_hold_the_runtime_set():
    runtime, test = pins("requirements.txt"), pins("requirements-test.txt")
    assert TEST_TOOLS & runtime.keys() == set()
    assert TEST_TOOLS <= test.keys()
    differing = {name: (version, test.get(name)) for name, version in runtime.items()
                 if test.get(name) != version}
    assert differing == {}, "requirements-test.txt pins these differently: (runtime, test)"


def test_the_pins_are_up_to_date_with_pyproject():
    """Every range in pyproject.toml is pinned, inside the range, in its file:
    regenerate both files (README, Dependencies) after changing a range."""
    for file_name, requirements in (("requirements.txt", declared()),
                                    ("requirements-test.txt", declared() + declared("test"))):
        pinned = pins(file_name)
        for requirement in requirements:
            name = canonicalize_name(requirement.name)
            assert name in pinned, f"{file_name} does not pin {requirement}"
            assert requirement.specifier.contains(pinned[name], prereleases=True), (
                f"{file_name} pins {name}=={pinned[name]}, outside {requirement}")
