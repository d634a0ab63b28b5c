"""A TCP proxy in front of a database server whose link can be cut, stalled and
restored, to take the database away from an app without stopping the shared server."""
import socket
import threading

LOOPBACK = "127.0.0.1"


class CuttableProxy:
    """Listens on a free loopback port and forwards each connection to
    ``upstream`` (host, port). ``cut()`` drops every open connection and refuses
    new ones, as a stopped server would; ``stall()`` keeps accepting them but
    forwards nothing either way, as a frozen server or a broken network would;
    ``restore()`` (or ``resume()`` after a stall) lets everything through again."""

    def __init__(self, upstream):
        self.upstream = upstream
        self._flowing = threading.Event()
        self._flowing.set()
        self._lock = threading.Lock()
        self._open_sockets = set()
        self._listener = socket.create_server((LOOPBACK, 0))
        self.port = self._listener.getsockname()[1]
        self._start_accepting()

    def _start_accepting(self):
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # the listener was closed: cut or closed
                return
            try:
                self._flowing.wait()
                server = socket.create_connection(self.upstream, timeout=10)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                self._open_sockets.update((client, server))
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._forward, args=(source, sink), daemon=True).start()

    def _forward(self, source, sink):
        try:
            while data := source.recv(65536):
                self._flowing.wait()
                sink.sendall(data)
        except OSError:
            pass
        finally:
            self._drop(source, sink)

    def _drop(self, *sockets):
        with self._lock:
            for sock in sockets:
                self._open_sockets.discard(sock)
        for sock in sockets:
            try:
                # shutdown() wakes the thread blocked in recv(); close() alone would not.
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def cut(self):
        with self._lock:
            open_sockets = list(self._open_sockets)
        self._drop(self._listener, *open_sockets)

    def restore(self):
        self._listener = socket.create_server((LOOPBACK, self.port))
        self._start_accepting()

    def stall(self):
        self._flowing.clear()

    def resume(self):
        """Lets through again what stalled; the app has given up on most of it."""
        self._flowing.set()

    def close(self):
        self._flowing.set()
        self.cut()
