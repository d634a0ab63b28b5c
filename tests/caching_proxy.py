"""nginx as a caching reverse proxy in front of the site, as the README shows
it, started on a free loopback port with a configuration and folders of its
own."""
import os
import shutil
import subprocess
import time
import urllib.request

from support.site_processes import free_port, stop_process

# An nginx of the tests' own: in the foreground, with its pid, logs and
# temporary files in {directory}; {http} is the rest of its http block.
NGINX_AROUND_HTTP = """\
{user}
worker_processes 1;
daemon off;
pid {directory}/nginx.pid;
error_log {directory}/error.log;
events {{ worker_connections 64; }}
http {{
    client_body_temp_path {directory}/client_body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
{http}
}}
"""

CACHING_HTTP = """\
    access_log {directory}/access.log;
    proxy_cache_path {directory}/cache keys_zone=scratchpad:1m;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass {upstream};
            proxy_set_header Host $host;
            proxy_cache scratchpad;
            # One copy for each language readers ask for (the site says Vary: Accept-Language).
            proxy_cache_key $scheme$proxy_host$request_uri$http_accept_language;
            proxy_cache_revalidate on;
            proxy_cache_lock on;
            # Whoever carries a cookie (a session) is served by the site itself.
            proxy_cache_bypass $http_cookie;
            proxy_no_cache $http_cookie;
            add_header X-Cache-Status $upstream_cache_status always;
        }}
    }}"""


def nginx_configuration(directory, http):
    """The whole configuration file, around the ``http`` block's own lines."""
    return NGINX_AROUND_HTTP.format(user="user root;" if os.geteuid() == 0 else "",
                                    directory=directory, http=http)


def nginx_executable():
    return shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK)
                                     else None)


class CachingProxy:
    def __init__(self, directory, upstream):
        self.directory = directory
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        configuration = directory / "nginx.conf"
        configuration.write_text(nginx_configuration(directory, CACHING_HTTP.format(
            directory=directory, port=self.port, upstream=upstream)))
        self.process = subprocess.Popen(
            [nginx_executable(), "-c", str(configuration), "-p", str(directory)],
            stdout=subprocess.DEVNULL, stderr=open(directory / "stderr.log", "wb"))
        deadline = time.monotonic() + 20
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("nginx did not start: "
                                   + (directory / "stderr.log").read_text())
            time.sleep(0.05)

    def _answers(self):
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=1):
                return True
        except OSError:
            return False

    def stop(self):
        if self.process.poll() is None:
            stop_process(self.process, seconds=10)
