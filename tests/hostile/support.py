"""Helpers of the hostile-input suite: good documents to surround a bad one, a measured run of the
CLI in a fresh interpreter, and a local HTTP server that answers whatever a test tells it to.

A run's peak memory is measured with ``resource.getrusage(RUSAGE_CHILDREN)`` by a small
wrapper process (no detente import) that starts the command and waits for it: the peak of the
command and of any worker process it waited for. (Not ``RUSAGE_SELF`` inside the command: Linux
carries the high-water mark of the process that forked it over the ``exec``, so the command
would report the test runner's size, 400 MB once it has loaded spaCy; the wrapper it inherits
from is a bare interpreter of a few MB.) Bounds are a base (what the command costs on harmless
input, measured on the project machine, with room) plus a multiple of the hostile input's size:
the inputs are kept small so the suite is fast, and what they used to cost (hundreds of times
their size) stands far above the bound.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT
from tests.store_support import CODER, FAKE_CLI

# The fake coder of the store tests (no spaCy): for runs whose subject is reading, not parsing.
# Peak resident memory of a command on harmless input, with room: reading and extracting
# (Python, lxml, trafilatura, DuckDB; about 170-230 MB measured) and with spaCy's model loaded
# and parsing (about 450 MB measured).
BASE_MB = 350
BASE_SPACY_MB = 800

# Two short invented reports with events the coder finds, to stand around a hostile document.
GOOD_TEXTS = {
    "good-1": ("Lithuania expelled two Russian diplomats on Tuesday, the foreign ministry in Vilnius said.\n"
               "The ministry accused the diplomats of activities incompatible with their status.\n"
               "Russia said it would respond to the expulsion in kind, according to a statement from Moscow."),
    "good-2": ("Japan and the Philippines agreed on Friday to hold joint coast guard exercises next month.\n"
               "The two governments signed a defence cooperation pact in Manila after talks between their "
               "ministers.\nChina criticised the agreement and accused Japan of stoking tension in the region."),
}


def good_record(doc_id: str) -> str:
    """One JSONL corpus line holding the good document ``doc_id``."""
    return json.dumps({"id": doc_id, "text": GOOD_TEXTS[doc_id], "published": "2024-03-05"})


def good_page(doc_id: str) -> bytes:
    """The good document ``doc_id`` as a small HTML page."""
    title, *lines = GOOD_TEXTS[doc_id].split("\n")
    body = "".join(f"<p>{line}</p>" for line in lines)
    return (f"<!doctype html><html><head><title>{doc_id}</title></head><body><article><h1>{title}</h1>"
            f"{body}</article></body></html>").encode()


def bound_mb(base: float, *hostile_inputs: Path | int, per_mb: float = 20.0) -> float:
    """The memory a run may take: ``base`` MB plus ``per_mb`` times the size of its hostile inputs."""
    size = sum(p if isinstance(p, int) else p.stat().st_size for p in hostile_inputs)
    return base + per_mb * size / 2**20


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    peak_mb: float

    def __post_init__(self) -> None:
        # DETENTE_HOSTILE_PEAKS=FILE collects every measured run (test, peak) for a report
        report = os.environ.get("DETENTE_HOSTILE_PEAKS")
        if report:
            with open(report, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"test": os.environ.get("PYTEST_CURRENT_TEST", ""),
                                     "peak_mb": round(self.peak_mb, 1)}) + "\n")

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith(("error:", "rejected:"))]


# The wrapper: small (no detente import), it runs the command as its child and reports that child's peak.
_WRAPPER = """\
import os, resource, subprocess, sys
code = subprocess.call(sys.argv[1:])
with open(os.environ["DETENTE_TEST_PEAK_FILE"], "w") as fh:
    fh.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
"""
_CLI = "import sys; from detente.cli import main; sys.exit(main(sys.argv[1:]))"


def run_measured(argv: list[str], *, cwd: Path, env: dict[str, str] | None = None, stdin: bytes | None = None,
                 timeout: float = 120, fake_coder: bool = False) -> Run:
    """``detente ARGV`` in a fresh interpreter in ``cwd``; its exit status, output and peak memory (MB).

    ``fake_coder``: code with the marker coder of ``store_support`` (``tests.fake.v1``), no spaCy."""
    peak_file = cwd / f".peak-{os.getpid()}-{threading.get_ident()}"
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "DETENTE_TEST_PEAK_FILE": str(peak_file),
                   "COLUMNS": "80", **(env or {})}
    environment.pop("DETENTE_DB", None)
    if fake_coder:
        environment["DETENTE_CODER"] = CODER
    cli = FAKE_CLI if fake_coder else _CLI
    done = subprocess.run([sys.executable, "-c", _WRAPPER, sys.executable, "-c", cli, *argv], cwd=cwd,
                          env=environment, input=stdin, capture_output=True, timeout=timeout, check=False)
    try:
        peak_kb = int(peak_file.read_text())
    finally:
        peak_file.unlink(missing_ok=True)
    return Run(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"),
               peak_kb / 1024)


def run_python_measured(code: str, *, cwd: Path, timeout: float = 120) -> Run:
    """A Python script in a fresh interpreter in ``cwd`` (for the server side of a request); its output
    and peak memory (MB)."""
    script = cwd / f"measured_{os.getpid()}_{threading.get_ident()}.py"
    script.write_text(code)
    peak_file = cwd / f".peak-{os.getpid()}-{threading.get_ident()}"
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "DETENTE_TEST_PEAK_FILE": str(peak_file)}
    try:
        done = subprocess.run([sys.executable, "-c", _WRAPPER, sys.executable, str(script)], cwd=cwd,
                              env=environment, capture_output=True, timeout=timeout, check=False)
        peak_kb = int(peak_file.read_text())
    finally:
        peak_file.unlink(missing_ok=True)
        script.unlink(missing_ok=True)
    return Run(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"),
               peak_kb / 1024)


# ---- a local HTTP server answering hostile responses ------------------------------------------------

@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)


Routes = dict[str, Answer | Callable[[], Answer]]


@contextmanager
def local_server(routes: Routes) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 answering ``routes`` (path -> Answer); yields its base URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            route = routes.get(self.path.split("?", 1)[0])
            answer = (route() if callable(route) else route) if route is not None else Answer(404, b"not here")
            self.send_response(answer.status)
            for name, value in answer.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
