"""Errors that reach the operator carry a stable code and parameters; the app words them
in the operator's language (app/i18n.py)."""

from __future__ import annotations

from typing import Any


class LoaxaError(Exception):
    """An expected failure with a message code for the user interface."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        detail = ", ".join(f"{k}={v!r}" for k, v in params.items())
        super().__init__(f"{code}({detail})" if detail else code)


class Cancelled(LoaxaError):
    def __init__(self) -> None:
        super().__init__("cancelled")
