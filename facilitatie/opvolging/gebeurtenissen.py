"""What happened in the opvolging, for whoever must act on it (mail, webhooks, "is het opgelost?").

Blinker signals, sent by `opvolging.service` *inside* the command's unit of work, after the
change is flushed and before it commits. A receiver writes its own rows (an outbox row, a
delivery row, a question) in that same transaction, so the change and what follows from it
commit together or not at all: the transactional outbox pattern. Receivers must never do I/O
(no SMTP, no HTTP) here; a background job delivers what they queued.

Receivers connect at import time of their module; `create_app` imports the modules that listen.
"""

from __future__ import annotations

from blinker import Namespace

_signalen = Namespace()

#: sender: the Knelpunt; kwargs: besluit (Besluit), door (User), nieuw (bool: first besluit on it)
besluit_vastgelegd = _signalen.signal("besluit-vastgelegd")

#: sender: the Actie; kwargs: door (User)
actie_aangemaakt = _signalen.signal("actie-aangemaakt")

#: sender: the Actie; kwargs: van (str), naar (str), door (User)
actie_status_gewijzigd = _signalen.signal("actie-status-gewijzigd")

#: sender: the signalen area's OpgelostVraag, just asked of its knelpunt's reporting team ("is het
#: opgelost?", after besluit "al opgelost" or the last actie afgerond); kwargs: door (User or None:
#: who made the change that raised it). Sent after the question row is flushed, so a receiver (the
#: mail) can link to it; it is a separate signal because receivers of the two above run in no order.
opgelost_gevraagd = _signalen.signal("opgelost-gevraagd")
