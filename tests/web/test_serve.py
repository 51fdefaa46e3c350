"""``detente serve`` itself: options, the socket it listens on, the database lock it holds, and
limits checked over a real HTTP connection (uvicorn on 127.0.0.1, started by the tests)."""

from __future__ import annotations

import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from detente.cli import main
from detente.cli.serve_cmd import is_loopback, listen_socket
from detente.errors import BadOption
from detente.store import open_store
from detente.web import create_app
from tests.conftest import ROOT
from tests.store_support import add_events, serve_in_thread

TOKEN = "serve-test-token"


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "events.duckdb"
    with open_store(path) as store:
        add_events(store, [("USAGOV", "SANCTION", "RUSGOV", date(2024, 3, 4)),
                           ("RUSGOV", "THREATEN", "USAGOV", date(2024, 3, 5))])
    return path


def test_loopback_names() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "10.0.0.1", "example.org", "::"))


def test_a_busy_port_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    with listen_socket("127.0.0.1", 0) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(BadOption, match=f"cannot listen on 127.0.0.1:{port}"):
            listen_socket("127.0.0.1", port)
        assert main(["serve", "--port", str(port), "--db", "whatever.duckdb"]) == 2
    assert f"error: cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err
    assert main(["serve", "--port", "70000"]) == 2
    assert "is not a TCP port" in capsys.readouterr().err


def test_serving_a_missing_store_says_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.duckdb"
    assert main(["serve", "--db", str(missing), "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: there is no event store at {missing}") and "detente ingest" in err
    assert not missing.exists()


# ---- a real server in a thread ------------------------------------------------------------------

@pytest.fixture(scope="module")
def live(store_file: Path) -> Iterator[str]:
    """The app on uvicorn on a free loopback port (the socket made as ``detente serve`` makes it)."""
    from tests.store_support import CODER

    store = open_store(":memory:")
    add_events(store, [("USAGOV", "SANCTION", "RUSGOV", date(2024, 3, 4))])
    app = create_app(store, token=TOKEN, coder=CODER, allowed_hosts=("127.0.0.1", "localhost"))
    with serve_in_thread(app) as url:
        yield url
    store.close()


def test_a_streamed_body_over_the_limit_is_cut_off(live: str) -> None:
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        yield b'{"text": "'
        for _ in range(64):  # up to 16 MB, but the server stops reading after 10
            sent += 256 * 1024
            yield b"z" * (256 * 1024)
        yield b'"}'

    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    try:
        response = httpx.post(f"{live}/api/v1/documents", content=chunks(), headers=headers, timeout=30)
    except httpx.HTTPError:  # the server may close the connection while the client is still sending
        response = None
    if response is not None:
        assert response.status_code == 413 and "10 MB" in response.json()["error"]
        assert "transfer-encoding" not in response.request.headers or "content-length" not in response.request.headers
    assert sent <= 16 * 1024 * 1024
    # The server is fine afterwards.
    assert httpx.get(f"{live}/healthz").json()["writes"] is True


def test_a_declared_length_over_the_limit_is_refused_before_reading(live: str) -> None:
    host, port = live.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(b"POST /api/v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 20000000\r\n\r\n{\"text\": ")
        answer = ""
        while '"hint"' not in answer:
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk.decode("latin-1")
    assert answer.startswith("HTTP/1.1 413") and '"error":' in answer and "content-security-policy" in answer.lower()


def test_writes_over_http_and_the_host_check(live: str) -> None:
    story = "Washington imposed sanctions on Moscow today. <<USAGOV SANCTION RUSGOV 2024-03-11>>"
    posted = httpx.post(f"{live}/api/v1/documents", json={"text": story}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert posted.status_code == 201 and posted.json()["events"][0]["type"] == "SANCTION"
    rebound = httpx.get(f"{live}/api/v1/events", headers={"Host": "rebind.attacker.example"})
    assert rebound.status_code == 400 and "does not name this server" in rebound.json()["error"]


def test_keep_alive_answers_are_not_held_back() -> None:
    """Nagle's algorithm is off on the server's connections (with it on, a keep-alive client waits
    ~40 ms for every answer): asyncio turns it off on connections accepted from detente's socket."""
    import asyncio
    import socket

    from detente.cli.serve_cmd import listen_socket

    sock = listen_socket("127.0.0.1", 0)

    async def accept_one() -> int:
        seen: asyncio.Queue[int] = asyncio.Queue()

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            conn = writer.get_extra_info("socket")
            await seen.put(conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(handle, sock=sock)
        async with server:
            host, port = sock.getsockname()[:2]
            _, client = await asyncio.open_connection(host, port)
            flag = await asyncio.wait_for(seen.get(), 10)
            client.close()
            return flag

    assert asyncio.run(accept_one()) != 0


# ---- the command, in its own process ------------------------------------------------------------

def _serve(*args: str) -> tuple[subprocess.Popen[str], str]:
    """``detente serve ARGS`` in a subprocess (on port 0 unless ARGS say otherwise) and its base URL."""
    port = [] if "--port" in args else ["--port", "0"]
    command = [sys.executable, "-c", "import sys; from detente.cli import main; sys.exit(main())", "serve",
               *port, "--no-access-log", *args]
    proc = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(ROOT)})
    assert proc.stderr is not None
    first = proc.stderr.readline()
    match = re.search(r"at (http://127\.0\.0\.1:\d+)/", first)
    if not match:
        proc.kill()
        raise AssertionError(f"serve did not start: {first}{proc.stderr.read()}")
    return proc, match.group(1)


def _stop(proc: subprocess.Popen[str]) -> Any:
    proc.send_signal(signal.SIGINT)
    try:
        return proc.wait(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.slow
def test_the_server_holds_the_store_only_as_much_as_it_needs(store_file: Path, tmp_path: Path, fake_coder: str,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "story.txt"
    source.write_text("Moscow expelled two envoys. <<RUSGOV SANCTION USAGOV 2024-03-06>>\n", encoding="utf-8")
    ingest = ["ingest", str(source), "--db", str(store_file)]

    # Read-only without a token: other readers may open the file meanwhile, writers may not.
    proc, base = _serve("--db", str(store_file))
    try:
        health = httpx.get(f"{base}/healthz", timeout=10).json()
        assert health == {**health, "status": "ok", "read_only": True, "writes": False, "events": 2}
        assert main(["events", "--db", str(store_file), "--json"]) == 0
        assert capsys.readouterr().out.count('"id"') == 2
    finally:
        assert _stop(proc) == 0

    # With a token the server writes, so it holds DuckDB's single-writer lock.
    proc, base = _serve("--db", str(store_file), "--token", TOKEN)
    try:
        assert httpx.get(f"{base}/healthz", timeout=10).json()["writes"] is True
        assert main(ingest) == 1
        err = capsys.readouterr().err
        assert "is in use by another process" in err and "wait for the other detente command" in err
    finally:
        assert _stop(proc) == 0
    assert main(ingest) == 0  # once the server has stopped


@pytest.mark.slow
def test_make_serve_opens_the_store_make_demo_fills(store_file: Path) -> None:
    """``make serve`` runs ``detente serve`` on the ``DB`` that ``make demo`` ingests into."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")

    def planned(target: str, *overrides: str) -> list[str]:
        # -n: print the commands only; -o: never (re)install the virtualenv from a test.
        out = subprocess.run(["make", "-n", "-s", "--no-print-directory", "-o", ".venv/.detente-installed", target,
                              *overrides], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        return [line for line in out.splitlines() if "bin/detente" in line]

    demo_db = {line.split("--db ", 1)[1].split()[0] for line in planned("demo") if "--db" in line}
    serve = planned("serve")
    assert len(serve) == 1 and demo_db == {serve[0].split("--db ", 1)[1].split()[0]} == {"detente.duckdb"}

    command = shlex.split(planned("serve", f"DB={store_file}", "PORT=0")[0])
    assert command[1:3] == ["serve", "--db"] and command[3] == str(store_file)
    proc, base = _serve(*command[2:])
    try:
        with open_store(store_file, read_only=True) as store:
            expected = store.stats().events
        assert httpx.get(f"{base}/healthz", timeout=10).json()["events"] == expected >= 2
        assert httpx.get(f"{base}/", timeout=30).status_code == 200
    finally:
        assert _stop(proc) == 0
