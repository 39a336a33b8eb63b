"""What one serving process asks of the operating system: enough file descriptors.

Every connected deelnemer holds a socket, and a socket is a file descriptor. Debian's default
soft limit (`ulimit -n`) is 1,024, so one process failed at about 500 deelnemers (EMFILE, each
also costs a descriptor on the way in and for the database). The hard limit is usually far
higher (systemd: `LimitNOFILE`, deploy/ sets 65536), and a process may raise its own soft limit
up to it without privileges: the process does so at start, and says so when that is still low.
"""

from __future__ import annotations

import logging

try:
    import resource
except ImportError:  # pragma: no cover - not on Windows; there is nothing to raise there
    resource = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

# Descriptors a process uses besides the deelnemers' sockets: listening socket, database
# files or connections, Redis, logs, the interpreter's own. Generous on purpose.
VOOR_HET_PROCES = 100
LAAG = 4096  # below this the start warns: fewer than about 4,000 sockets


def verhoog_bestandslimiet() -> tuple[int, int] | None:
    """Raise the soft RLIMIT_NOFILE to the hard limit; return (soft, hard) as it is afterwards."""
    if resource is None:
        return None
    zacht, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    doel = hard if hard != resource.RLIM_INFINITY else max(zacht, 1_048_576)
    if zacht == resource.RLIM_INFINITY or zacht >= doel:
        return zacht, hard
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (doel, hard))
    except (ValueError, OSError):  # e.g. a hard limit above the kernel's nr_open
        logger.warning("De bestandslimiet blijft %s: verhogen naar %s lukte niet.", zacht, doel)
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def max_sockets(zacht: int) -> int:
    """About how many deelnemers one process can hold open at this soft limit."""
    return max(0, zacht - VOOR_HET_PROCES)


def meld_bestandslimiet(grenzen: tuple[int, int] | None) -> str | None:
    """A line for the start when the limit caps the meeting, naming the setting to raise."""
    if grenzen is None or grenzen[0] == getattr(resource, "RLIM_INFINITY", -1) or grenzen[0] >= LAAG:
        return None
    return (
        f"Let op: de bestandslimiet van dit proces is {grenzen[0]}, genoeg voor ongeveer "
        f"{max_sockets(grenzen[0])} deelnemers tegelijk. Verhoog de harde limiet "
        "(systemd: LimitNOFILE=65536, shell: ulimit -Hn) om meer deelnemers te bedienen."
    )
