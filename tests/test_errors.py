"""Every exception class detente defines lives in ``detente.errors``; every ``DetenteError`` says what
happened and what to do; every rejection reason has a hint."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest

import detente
from detente import errors
from detente.errors import DetenteError, Reason
from detente.ingest import hint_for
from detente.model import Rejected

# Starlette's HTTPException subclasses: the web is an optional extra, so errors.py cannot import
# Starlette; these two are the HTTP answers of the web app, not errors of detente's own.
_WEB_HTTP_ERRORS = {"detente.web.security.HTTPError", "detente.web.security.RequestTooLarge"}


def _all_modules() -> list[str]:
    names = [detente.__name__]
    for info in pkgutil.walk_packages(detente.__path__, prefix="detente."):
        names.append(info.name)
    for name in names:
        importlib.import_module(name)
    return names


def _subclasses(base: type) -> list[type]:
    found: list[type] = []
    todo = [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.append(sub)
                todo.append(sub)
    return found


def _detente_errors() -> list[type[DetenteError]]:
    _all_modules()
    return [DetenteError, *_subclasses(DetenteError)]


def _instance(cls: type[DetenteError]) -> DetenteError:
    """One instance, built with the required arguments its constructor names."""
    values: dict[str, object] = {"line": 3, "message": "something happened", "problem": "something happened"}
    args = [values.get(p.name, p.name) for p in inspect.signature(cls).parameters.values()
            if p.default is inspect.Parameter.empty and p.kind is p.POSITIONAL_OR_KEYWORD]
    return cls(*args)


def test_every_exception_class_is_defined_in_errors() -> None:
    _all_modules()
    elsewhere = sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in _subclasses(BaseException)
                       if cls.__module__.startswith("detente") and cls.__module__ != "detente.errors")
    assert set(elsewhere) <= _WEB_HTTP_ERRORS, elsewhere


@pytest.mark.parametrize("cls", _detente_errors(), ids=lambda cls: cls.__name__)
def test_each_detente_error_is_public_documented_and_says_what_to_do(cls: type[DetenteError]) -> None:
    assert cls.__module__ == "detente.errors"
    assert getattr(errors, cls.__name__) is cls and cls.__name__ in errors.__all__
    assert re.search(rf"\b{cls.__name__}\b", errors.__doc__ or ""), "missing from the tree in the docstring"
    assert cls.exit_code in (1, 2)
    assert cls.exit_code == (2 if issubclass(cls, errors.InputError) else 1)
    assert cls is DetenteError or (cls.default_hint.strip() and cls.default_hint != DetenteError.default_hint)

    err = _instance(cls)
    assert "something happened" in err.message and err.hint == cls.default_hint
    line = err.one_line()
    assert "\n" not in line and line.endswith(f" - {cls.default_hint}")
    given = _instance(cls)
    given.hint = "do this"
    assert given.one_line().endswith(" - do this")


def test_a_hint_given_replaces_the_default() -> None:
    err = errors.DataFileError("cameo2plover.txt", 12, "a bad row", "fix row 12")
    assert (err.message, err.hint, err.line) == ("cameo2plover.txt:12: a bad row", "fix row 12", 12)
    rejected = errors.DocumentRejected("no text", Reason.NO_TEXT)
    assert rejected.reason == "no_text" and rejected.exit_code == 2


def test_every_reason_has_its_own_hint_and_prints_as_its_code() -> None:
    hints = [reason.hint for reason in Reason]
    assert all(h.strip() and "\n" not in h for h in hints)
    assert len(set(hints)) == len(hints)
    for reason in Reason:
        assert str(reason) == f"{reason}" == reason.value and re.fullmatch(r"[a-z_]+", reason.value)
        assert Reason.of(reason.value) is reason
    assert Reason.of("http_404") is None and Reason.of("no_such_reason") is None


def test_hint_for_reads_the_reason_enum() -> None:
    def rejected(reason: str, stage: str = "ingest") -> Rejected:
        return Rejected(document_id="d", doc_id="x.html", stage=stage, reason=reason, detail="")

    assert hint_for(rejected("too_short", "extract")) == Reason.TOO_SHORT.hint
    assert hint_for(rejected(Reason.NOT_FOUND)) == Reason.NOT_FOUND.hint
    # an unreadable source is a disk matter, an unreadable document is not a page
    assert hint_for(rejected("unreadable")) == Reason.UNREADABLE.hint
    assert hint_for(rejected("unreadable", "extract")) != Reason.UNREADABLE.hint
    assert "login" in hint_for(rejected("http_401"))
    assert hint_for(rejected("something_new")) == "run again with --debug for details"
