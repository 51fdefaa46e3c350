"""``detente ingest`` and the read commands end to end, with the fake coder from store_support."""

from __future__ import annotations

import hashlib
import json
import random
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.cli import main
from detente.pipeline import ingest_documents
from detente.store import SCHEMA_VERSION, open_store
from tests.store_support import CODER, documents, marker, store_state

STORY = [
    "Washington and Moscow traded measures again this week.",
    f"The US expelled ten Russian diplomats {marker('USAGOV', 'SANCTION', 'RUSGOV', '2021-04-15')}.",
    f"In response Russia summoned the US ambassador {marker('RUSGOV', 'THREATEN', 'USAGOV', '2021-04-16')}.",
    f"Biden said he could go further if needed {marker('USAGOV', 'ASSAULT', 'RUSGOV', '2021-04-16', 'hypothetical')}.",
    "The two countries are divided over Ukraine, human rights and cyber security.",
]


def _corpus(tmp_path: Path) -> Path:
    other = [
        "Beijing and Tokyo argued over islands in the East China Sea.",
        f"China accused Japan of provocation {marker('CHNGOV', 'ACCUSE', 'JPNGOV', '2021-04-12')}.",
        f"Japan consulted its allies on Monday {marker('JPNGOV', 'CONSULT', 'USAGOV', '2021-04-12')}.",
    ]
    records = [
        {"id": "story", "text": "\n".join(["# Sharing is caring!", *STORY, "# Related articles"]),
         "url": "https://one.example/story"},
        {"id": "copy", "text": "\n".join(["# Subscribe now", *STORY, "# Leave a reply", "# Back to top"]),
         "url": "https://two.example/copy"},
        {"id": "other", "text": "\n".join(other), "url": "https://one.example/other"},
        {"id": "short", "text": "tiny"},
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_ingest_summary_reingest_and_queries(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             fake_coder: str) -> None:
    corpus, db = _corpus(tmp_path), str(tmp_path / "s.duckdb")
    code, out, err = _run(capsys, "ingest", str(corpus), "--db", db, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert (summary["documents_seen"], summary["new"], summary["near_duplicates"], summary["rejected"]) == (4, 2, 1, 1)
    assert summary["rejected_by_reason"] == {"too_short": 1}
    assert (summary["events_stored"], summary["mentions_added"]) == (5, 3)
    assert "rejected: short: too_short" in err
    with open_store(db, read_only=True) as store:
        before = store_state(store)
        run = store.runs()[0]
        assert (run["status"], run["coder"], run["documents_new"], run["events_stored"]) == \
            ("finished", "tests.fake.v1", 2, 5)

    code, out, err = _run(capsys, "ingest", str(corpus), "--db", db, "--json")
    again = json.loads(out)
    # the stored documents are duplicates; the rejected one is rejected again, for the same reason
    assert (code, again["new"], again["duplicates"], again["events_stored"]) == (0, 0, 3, 0)
    assert again["rejected_by_reason"] == {"too_short": 1} and "rejected: short: too_short" in err
    with open_store(db, read_only=True) as store:
        assert store_state(store) == before

    code, out, _ = _run(capsys, "events", "--db", db, "--source", "USA", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and {r["type"] for r in rows} == {"SANCTION", "ASSAULT"}
    assert {r["num_mentions"] for r in rows} == {2} and {r["num_sources"] for r in rows} == {2}
    code, out, _ = _run(capsys, "events", "--db", db, "--modality", "real", "--json")
    assert len(out.splitlines()) == 4

    code, out, _ = _run(capsys, "dyad", "USA", "RUS", "--db", db, "--freq", "D", "--json")
    report = json.loads(out)
    assert code == 0 and report["directions"][0]["events"] == 1 and report["directions"][0]["flagged"] == 1

    code, out, _ = _run(capsys, "reciprocity", "USA", "RUS", "--db", db, "--json")
    chains = json.loads(out)
    assert code == 0 and len(chains) == 1 and chains[0]["links"][0]["lag_days"] == 1
    assert "expelled ten Russian diplomats" in chains[0]["links"][0]["provocation"]["sentence"]
    code, out, _ = _run(capsys, "reciprocity", "USA", "RUS", "--db", db)
    assert code == 0 and "answered 1 day later, marked \"In response\"" in out
    assert chains[0]["links"][0]["basis"] == "marked_response"

    code, out, _ = _run(capsys, "alerts", "--db", db, "--json")
    assert code == 0 and isinstance(json.loads(out), list)
    code, out, _ = _run(capsys, "summary", "--db", db)
    assert code == 0 and "most active dyads" in out and "reciprocity chains" in out
    code, out, _ = _run(capsys, "summary", "--db", db, "--json")
    assert json.loads(out)["stats"]["syndicated_copies"] == 1
    code, out, _ = _run(capsys, "events", "--db", db)
    assert code == 0 and "SANCTION" in out


def test_ingest_of_nothing_usable_fails_and_says_why_each_time(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / "junk.html").write_bytes(random.Random(0).randbytes(20_000))
    db = str(tmp_path / "s.duckdb")
    for _ in range(2):  # the second time, the store remembers the rejections and says them again
        code, out, err = _run(capsys, "ingest", str(tmp_path / "in"), "--db", db, "--json")
        summary = json.loads(out)
        assert code == 2 and summary["rejected_by_reason"] == {"empty": 1, "unreadable": 1}
        assert (summary["new"], summary["duplicates"]) == (0, 0)
        assert "rejected: " in err and "error: no document could be stored - see the reasons above" in err
        assert "Traceback" not in err
    with open_store(db, read_only=True) as store:
        assert store.stats().articles == 0


def test_terminal_output_is_inert(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch, fake_coder: str) -> None:
    from detente.cli import _common

    monkeypatch.setattr(_common.out, "width", 400)
    nasty = f"[bold red]\x1b[2J evil[/] <script>x</script> {marker('USAGOV', 'THREATEN', 'RUSGOV', '2021-01-01')}"
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "n", "text": "A normal first line of the story.\n" + nasty}) + "\n")
    db = str(tmp_path / "s.duckdb")
    assert _run(capsys, "ingest", str(corpus), "--db", db)[0] == 0
    code, out, _ = _run(capsys, "events", "--db", db)
    # Markup stays literal text and the escape character is shown as an escape, never sent.
    assert code == 0 and "\x1b" not in out
    assert "[bold red]\\x1b[2J evil[/] <script>x</script>" in out


# ---- re-ingesting changes nothing (property) --------------------------------------------------

_line = st.one_of(
    st.sampled_from(["Officials met in the capital.", "Talks ended without a deal.", "# boilerplate line"]),
    st.builds(lambda s, k, t, d: f"Report {marker(s, k, t, d)}.", st.sampled_from(["USAGOV", "RUSMIL", "CHN"]),
              st.sampled_from(["THREATEN", "CONSULT", "AID"]), st.sampled_from(["RUSGOV", "UKR", "-"]),
              st.dates(date(2021, 1, 1), date(2021, 3, 1))),
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_line, min_size=1, max_size=6).map("\n".join), min_size=1, max_size=8), st.randoms())
def test_reingesting_changes_nothing(texts: list[str], rnd: object) -> None:
    docs = documents(texts)
    with open_store(":memory:") as store:
        first = ingest_documents(store, docs, coder=CODER, batch_size=3)
        state = store_state(store)
        again = list(docs)
        rnd.shuffle(again)  # type: ignore[attr-defined]
        second = ingest_documents(store, again, coder=CODER, batch_size=2)
        assert store_state(store) == state
        assert (second.new, second.near_duplicates, second.events_stored, second.mentions_added) == (0, 0, 0, 0)
        # what was stored is a duplicate now; what was rejected is rejected again, for the same reasons
        assert first.seen == second.seen == second.duplicates + second.rejected_total == len(docs)
        assert second.rejected == first.rejected


# ---- bad input: one error line, nothing changed on disk -----------------------------------------

def _tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("stores")


@pytest.fixture(scope="module")
def stores(store_dir: Path) -> dict[str, str]:
    tmp_path = store_dir
    good = tmp_path / "good.duckdb"
    corpus = _corpus(tmp_path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DETENTE_CODER", CODER)
        assert main(["ingest", str(corpus), "--db", str(good), "--json"]) == 0
    corrupt = tmp_path / "corrupt.duckdb"
    corrupt.write_bytes(b"this is not a database\n" * 100)
    newer = tmp_path / "newer.duckdb"
    with open_store(newer) as store, store.writer() as w:
        w.con.execute("INSERT INTO schema_version VALUES (?, 'detente', 'later', now())", [SCHEMA_VERSION + 1])
    return {"good": str(good), "corrupt": str(corrupt), "newer": str(newer), "missing": str(tmp_path / "no.duckdb"),
            "corpus": str(corpus)}


_READ_COMMANDS = {
    "events": (["events"], ["--source", "XYZ"], ["--since", "2021-05-01", "--until", "2021-04-01"]),
    "dyad": (["dyad", "USA", "RUS"], None, ["--since", "2021-05-01", "--until", "2021-04-01"]),
    "dyad-code": (["dyad", "USA", "XYZ"], None, None),
    "reciprocity": (["reciprocity", "USA", "RUS"], None, ["--since", "2021-05-01", "--until", "2021-04-01"]),
    "reciprocity-code": (["reciprocity", "QQQ", "RUS"], None, None),
    "alerts": (["alerts"], None, ["--since", "2021-13-45"]),
    "summary": (["summary"], None, ["--freq", "Y"]),
    "export": (["export", "--format", "gdelt", "--out", "OUT"], ["--target", "XYZ"],
               ["--since", "2021-05-01", "--until", "2021-04-01"]),
}


def _cases() -> list[tuple[str, list[str], str, int]]:
    cases = []
    for name, (base, bad_code, inverted) in _READ_COMMANDS.items():
        if name.endswith("-code"):
            cases.append((name, base, "good", 2))
            continue
        if bad_code:
            cases.append((f"{name}-code", base + bad_code, "good", 2))
        if inverted:
            cases.append((f"{name}-dates", base + inverted, "good", 2))
        for db in ("missing", "corrupt", "newer"):
            cases.append((f"{name}-{db}", base, db, 1))
    cases += [("ingest-corrupt", ["ingest", "CORPUS"], "corrupt", 1),
              ("ingest-newer", ["ingest", "CORPUS"], "newer", 1),
              ("ingest-no-source", ["ingest", "nowhere/at/all.txt"], "missing", 2),
              ("ingest-bad-date", ["ingest", "CORPUS", "--published", "yesterday"], "missing", 2),
              ("export-format", ["export", "--format", "xml", "--out", "OUT"], "good", 2)]
    return cases


@pytest.mark.parametrize(("name", "argv", "db", "exit_code"), _cases(), ids=[c[0] for c in _cases()])
def test_bad_input_gives_one_error_line_and_changes_nothing(
        name: str, argv: list[str], db: str, exit_code: int, stores: dict[str, str], store_dir: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    tmp_path = store_dir
    argv = [stores["corpus"] if a == "CORPUS" else str(tmp_path / "out.tsv") if a == "OUT" else a for a in argv]
    before = _tree_digest(tmp_path)
    code, _, err = _run(capsys, *argv, "--db", stores[db])
    lines = err.strip().splitlines()
    assert code == exit_code, err
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert " - " in lines[0]
    assert _tree_digest(tmp_path) == before


def test_export_writes_every_format(stores: dict[str, str], tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    counts = {}
    for fmt in ("jsonl", "csv", "parquet", "gdelt", "plover"):
        out = tmp_path / f"events.{fmt}"
        code, _, err = _run(capsys, "export", "--db", stores["good"], "--format", fmt, "--out", str(out))
        assert code == 0, err
        counts[fmt] = int(err.split()[1])
    assert counts == {"jsonl": 5, "csv": 5, "parquet": 5, "gdelt": 4, "plover": 5}


def test_allow_private_can_come_from_the_environment(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """As the README says of every setting: DETENTE_ALLOW_PRIVATE=1 is --allow-private (ingest, code)."""
    from tests.hostile.support import Answer, good_page, local_server

    db = str(tmp_path / "p.duckdb")
    monkeypatch.setenv("DETENTE_CODER", CODER)
    with local_server({"/story": Answer(body=good_page("good-1"))}) as base:
        monkeypatch.delenv("DETENTE_ALLOW_PRIVATE", raising=False)
        for argv in (["ingest", f"{base}/story", "--db", db], ["code", f"{base}/gone"]):
            code, _, err = _run(capsys, *argv)
            assert code == 2 and "unsafe_url" in err and "loopback" in err, err
        monkeypatch.setenv("DETENTE_ALLOW_PRIVATE", "1")
        code, _, err = _run(capsys, "ingest", f"{base}/story", "--db", db)
        assert code == 0 and "unsafe_url" not in err, err
        code, _, err = _run(capsys, "code", f"{base}/gone")  # fetched: the server's own answer, no model needed
        assert code == 2 and "http_404" in err and "unsafe_url" not in err, err
