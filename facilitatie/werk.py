"""The unit of work: a service command owns its transaction, so no view commits or rolls back.

A command wrapped in `@transactie` commits when it returns and rolls back when it raises
(`Ongeldig`, `Geweigerd` or anything else), so a refused action never leaves half a change in
the session for the error page to render or for the next request to commit. Nested commands
(one command calling another) share the outer transaction: only the outermost commits.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from facilitatie.extensions import db

P = ParamSpec("P")
T = TypeVar("T")

_DIEPTE = "ontmoet_transactie_diepte"


@contextmanager
def eenheid() -> Iterator[None]:
    """Commit what the block changed, or roll all of it back when the block raises."""
    info = db.session.info
    info[_DIEPTE] = info.get(_DIEPTE, 0) + 1
    try:
        yield
        if info[_DIEPTE] == 1:
            db.session.commit()
    except BaseException:
        if info[_DIEPTE] == 1:
            db.session.rollback()
        raise
    finally:
        info[_DIEPTE] -= 1
        if not info[_DIEPTE]:
            info.pop(_DIEPTE, None)


def transactie(command: Callable[P, T]) -> Callable[P, T]:
    """Decorator for a service command: it runs as one unit of work (see `eenheid`)."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        with eenheid():
            return command(*args, **kwargs)

    return wrapper
