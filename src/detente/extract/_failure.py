"""The one way an extraction step says "this document has no article": a reason code and words.

It never leaves ``detente.extract``: ``extract_document`` turns it into a ``Rejected`` value.
"""

from __future__ import annotations


class ExtractionFailed(Exception):
    """``reason`` is a Rejected reason code; ``detail`` one sentence a user understands."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
