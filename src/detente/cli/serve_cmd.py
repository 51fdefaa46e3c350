"""``detente serve``: the dashboard and the REST API v1 over one event store (FastAPI on uvicorn).

The store is opened once, for the life of the server: read-only when no token is set (so
other read-only commands may open the file too), read-write when writes are enabled (then
the server holds DuckDB's single-writer lock, and ``detente ingest`` on the same file fails
with "in use by another process" until the server stops). With ``--watch FEEDS`` the server also
runs the feed watcher (``detente.watch``) in a thread, and holds the file for writing.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from typing import Any

import typer

from ..errors import BadOption, DetenteError
from ..settings import get_setting
from ..store import open_store
from ._common import err
from ._safe_text import plain
from .store_cmd import DB_HELP
from .watch_cmd import check_serve_watch, start_serve_watcher

__all__ = ["LOOPBACK_HOSTS", "WARM_PATHS", "is_loopback", "listen_socket", "register", "warm_up"]

# Host names a browser may use for a server bound to loopback; any other Host header is refused,
# so a page on another site cannot reach the API through DNS rebinding.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def listen_socket(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0 picks a free one); ``BadOption`` when it cannot be had."""
    if not 0 <= port <= 65535:
        raise BadOption(f"--port {port} is not a TCP port", "give a port from 1 to 65535 (0 picks a free one)")
    address = host.strip("[]")
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    try:
        # IPPROTO_TCP spelled out: asyncio turns Nagle's algorithm off only on sockets that say
        # so, and with it on a keep-alive client waits ~40 ms (delayed ACK) for every response.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((address, port))
            sock.listen(2048)
        except BaseException:
            sock.close()
            raise
        return sock
    except socket.gaierror as exc:
        raise BadOption(f"cannot listen on {host}: {exc.strerror}", "give an address of this machine, "
                        "e.g. --host 127.0.0.1") from exc
    except OSError as exc:
        raise BadOption(f"cannot listen on {host}:{port}: {exc.strerror}",
                        "choose another --port, or stop the program using this one") from exc


# Pages whose data reads the whole store (seconds on a large one): computed once at start, so
# the first visitor does not wait for them (the server keeps them until its next write).
WARM_PATHS = ("/index.json", "/api/v1/alerts", "/api/v1/dyads")


def warm_up(server: Any, base: str) -> None:
    """Ask the running server for ``WARM_PATHS`` once, so their results are cached."""
    import httpx

    for _ in range(600):
        if server.started or server.should_exit:
            break
        time.sleep(0.1)
    if not server.started:
        return
    with httpx.Client(base_url=base, timeout=600, trust_env=False) as client:
        for path in WARM_PATHS:
            if server.should_exit:
                return
            try:
                client.get(path)
            except httpx.HTTPError:
                return


def serve_command(
    db: str = typer.Option(None, "--db", help=DB_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default)."),
    port: int = typer.Option(8000, "--port", help="TCP port (0 picks a free one)."),
    token: str = typer.Option(None, "--token", help="Bearer token that enables POST /api/v1/documents. "
                                                    "Default: $DETENTE_TOKEN; without one, writes are off."),
    access_log: bool = typer.Option(True, "--access-log/--no-access-log", help="Log every request on stderr."),
    watch_feeds: str = typer.Option(None, "--watch", help="Also follow these feeds in the server, as detente "
                                                          "watch does (a feed list file; alerts go to the log)."),
    watch_interval: str = typer.Option("15m", "--watch-interval", help="Time between two polls with --watch."),
) -> None:
    """Serve the dashboard and the REST API v1 (OpenAPI at /docs) over the event store."""
    secret = str(get_setting("token", token) or "").strip() or None
    if watch_feeds is not None:
        watch_every = check_serve_watch(watch_feeds, watch_interval)
    sock = listen_socket(host, port)
    try:
        try:
            import uvicorn

            from ..web import create_app  # late: the optional web extra (FastAPI)
        except ImportError as exc:
            raise DetenteError(f"the web server is not installed ({exc.name} is missing)",
                               "pip install 'detente[web]'") from exc
        store = open_store(db, read_only=secret is None and watch_feeds is None)
        watcher: Any = None
        try:
            # On loopback, requests must name the server: its usual names, or the address it was given
            # (--host 127.0.0.2 is loopback too, and a browser sends that address as the Host).
            allowed = (*LOOPBACK_HOSTS, host.strip("[]")) if is_loopback(host) else None
            app = create_app(store, token=secret, allowed_hosts=allowed)
            if watch_feeds is not None:
                state = app.state.detente

                def drop_cached_pages() -> None:  # the watcher stored articles: cached reads are stale
                    with state.writer.lock:
                        state.writer.generation += 1

                watcher = start_serve_watcher(store, watch_feeds, interval=watch_every, on_stored=drop_cached_pages)
            bound_host, bound_port = sock.getsockname()[:2]
            shown = f"[{bound_host}]" if ":" in bound_host else bound_host
            writes = "writes on (bearer token)" if secret else "read-only (no token: writes are off)"
            err.print(f"serving {plain(store.path)} at http://{shown}:{bound_port}/ - {writes}; Ctrl+C stops",
                      markup=False, highlight=False, soft_wrap=True)
            if secret and not is_loopback(host):
                err.print("warning: the token travels in clear text over plain HTTP; put TLS in front of this "
                          "server on any network you do not trust", markup=False, highlight=False, style="yellow",
                          soft_wrap=True)
            config = uvicorn.Config(app, log_level="info", access_log=access_log, server_header=False,
                                    proxy_headers=False, timeout_graceful_shutdown=5)
            server = uvicorn.Server(config)
            threading.Thread(target=warm_up, args=(server, f"http://{shown}:{bound_port}"), daemon=True,
                             name="detente warm-up").start()
            # uvicorn shuts down cleanly, then passes Ctrl+C on: for a server that is how it stops.
            with contextlib.suppress(KeyboardInterrupt):
                server.run(sockets=[sock])
            err.print("stopped", markup=False, highlight=False)
        finally:
            if watcher is not None:
                watcher.stop()
            store.close()
    finally:
        sock.close()
