"""Cancelling long work (reports, exports, packages, verification) while it runs: the caller
passes ``should_stop`` (a function answering whether the operator pressed Cancel) and the
work calls ``stop_point`` between its steps, which raises ``Cancelled``. Files are written
through temporary files, so a cancelled run leaves nothing behind."""

from __future__ import annotations

from collections.abc import Callable

from media.errors import Cancelled

ShouldStop = Callable[[], bool]


def stop_point(should_stop: ShouldStop | None) -> None:
    """Raises ``Cancelled`` when a stop was asked for."""
    if should_stop is not None and should_stop():
        raise Cancelled()


def every(n: int, should_stop: ShouldStop | None) -> Callable[[int], None]:
    """A check to call with a running count inside a tight loop: it asks ``should_stop``
    only on every ``n``-th count, so the loop stays fast."""
    if should_stop is None:
        return lambda _count: None

    def check(count: int) -> None:
        if count % n == 0 and should_stop():
            raise Cancelled()

    return check
