"""Account rules: creating users, checking passwords (argon2), managing gemeenten and teams.

The `create_*` helpers add rows without committing, so the CLI and the demo loader can build
several in one transaction. The beheer commands below them (`gemeente_toevoegen`, …) are
each one unit of work (`werk.transactie`): they commit, or roll back when a rule refuses.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from facilitatie.accounts import logboek
from facilitatie.accounts.models import Beheeractie, Gemeente, Team, User, Werkmodel
from facilitatie.accounts.perspectieven import perspectieven_van
from facilitatie.accounts.rollen import PERSPECTIEF_VAN_ROL, Perspectief, Rol, beheert_account, beheert_gemeente
from facilitatie.accounts.wachtwoorden import bezwaar
from facilitatie.extensions import db
from facilitatie.fouten import Geweigerd, Ongeldig
from facilitatie.invoer import geen_bsn
from facilitatie.werk import eenheid, transactie

_hasher = PasswordHasher()
# Verifying against a real hash when the e-mail is unknown keeps response times alike,
# so sign-in does not reveal which addresses have an account.
_DUMMY_HASH = _hasher.hash("ontmoet-dummy-wachtwoord")


def normalise_email(email: str) -> str:
    return email.strip().lower()


# A sessie belongs to a gemeente; a begeleider without one could not make any.
BEGELEIDER_ZONDER_GEMEENTE = "Kies de gemeente van deze begeleider: een begeleider maakt sessies voor een gemeente."


def perspectief_toegestaan(perspectief: str, gemeente: Gemeente | None, team: Team | None = None) -> bool:
    """A built-in perspective (uitvoering, beleid, anders) or an active one of the account's gemeente."""
    if perspectief in set(Perspectief):
        return True
    gemeente_id = team.gemeente_id if team is not None else (gemeente.id if gemeente is not None else None)
    return gemeente_id is not None and any(p.sleutel == perspectief for p in perspectieven_van(gemeente_id))


def create_user(
    *,
    email: str,
    naam: str,
    rol: str,
    password: str,
    gemeente: Gemeente | None = None,
    team: Team | None = None,
    perspectief: str | None = None,
) -> User:
    """Create an account; the perspective follows from the role unless given."""
    email = normalise_email(email)
    if rol not in set(Rol):
        raise Ongeldig("rol", f"Onbekende rol '{rol}'. Kies uit: {', '.join(r.value for r in Rol)}.")
    if "@" not in email or len(email) > 254:
        raise Ongeldig("email", "Vul een geldig e-mailadres in.")
    if not naam.strip():
        raise Ongeldig("naam", "Vul een naam in.")
    geen_bsn("naam", naam)
    if (reden := bezwaar(password)) is not None:
        raise Ongeldig("password", reden)
    if perspectief is not None and not perspectief_toegestaan(perspectief, gemeente, team):
        raise Ongeldig("perspectief", "Kies een geldig perspectief.")
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        raise Ongeldig("email", "Er bestaat al een account met dit e-mailadres.")
    if team is not None and gemeente is None:
        gemeente = team.gemeente
    if rol == Rol.BEGELEIDER and gemeente is None:
        raise Ongeldig("gemeente", BEGELEIDER_ZONDER_GEMEENTE)
    user = User(
        email=email,
        naam=naam.strip(),
        rol=rol,
        password_hash=_hasher.hash(password),
        perspectief=perspectief or PERSPECTIEF_VAN_ROL.get(rol),
        gemeente=gemeente,
        team=team,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with this e-mail and password, or None."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.actief:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        with eenheid():
            user.password_hash = _hasher.hash(password)
    return user


def set_password(user: User, password: str) -> None:
    """Replace a password (beheerder reset); every session signed in with the old one ends."""
    if (reden := bezwaar(password)) is not None:
        raise Ongeldig("password", reden)
    user.password_hash = _hasher.hash(password)
    beeindig_sessies(user)


def beeindig_sessies(user: User) -> None:
    """End every signed-in session of this account, on every device (accounts/inlogsessie.py)."""
    user.sessie_versie = (user.sessie_versie or 0) + 1


@transactie
def uitloggen(user: User) -> None:
    """Sign-out: this session and every copy of its cookie (and the account's other sessions) end."""
    beeindig_sessies(user)


def create_gemeente(naam: str) -> Gemeente:
    """Add a gemeente with a unique name."""
    naam = naam.strip()
    if not naam:
        raise Ongeldig("naam", "Vul de naam van de gemeente in.")
    geen_bsn("naam", naam)
    if db.session.scalar(select(Gemeente.id).where(func.lower(Gemeente.naam) == naam.lower())):
        raise Ongeldig("naam", "Deze gemeente bestaat al.")
    gemeente = Gemeente(naam=naam)
    db.session.add(gemeente)
    db.session.flush()
    return gemeente


def create_team(naam: str, gemeente: Gemeente, werkmodel: str = Werkmodel.TEAMMODEL) -> Team:
    """Add a wijkteam to a gemeente."""
    naam = naam.strip()
    if not naam:
        raise Ongeldig("naam", "Vul de naam van het wijkteam in.")
    geen_bsn("naam", naam)
    if werkmodel not in set(Werkmodel):
        raise Ongeldig("werkmodel", "Kies een werkmodel.")
    exists = db.session.scalar(
        select(Team.id).where(Team.gemeente_id == gemeente.id, func.lower(Team.naam) == naam.lower())
    )
    if exists:
        raise Ongeldig("naam", "Deze gemeente heeft al een wijkteam met deze naam.")
    team = Team(naam=naam, gemeente=gemeente, werkmodel=werkmodel)
    db.session.add(team)
    db.session.flush()
    return team


# --------------------------------------------------------------------------- beheer commands

_ANDERE_GEMEENTE = "Je beheert alleen de accounts van je eigen gemeente."


def _id(gemeente: Gemeente | None) -> int | None:
    return gemeente.id if gemeente else None


@transactie
def gemeente_toevoegen(naam: str) -> Gemeente:
    """The beheerder adds a gemeente."""
    return create_gemeente(naam)


@transactie
def team_toevoegen(naam: str, gemeente: Gemeente, werkmodel: str) -> Team:
    """The beheerder adds a wijkteam to a gemeente."""
    return create_team(naam, gemeente, werkmodel)


@transactie
def gebruiker_toevoegen(
    *,
    door: User | None = None,
    email: str,
    naam: str,
    rol: str,
    password: str,
    gemeente: Gemeente | None,
    team: Team | None,
    perspectief: str | None,
) -> User:
    """The beheerder creates an account (logged with its role)."""
    if door is not None and not beheert_gemeente(door, (team.gemeente_id if team else None) or _id(gemeente)):
        raise Geweigerd(_ANDERE_GEMEENTE)
    user = create_user(
        email=email, naam=naam, rol=rol, password=password, gemeente=gemeente, team=team, perspectief=perspectief
    )
    logboek.schrijf(door, Beheeractie.AANGEMAAKT, onderwerp=user, details=f"rol: {user.rol}")
    return user


def fouten_bij_bijwerken(
    user: User,
    *,
    email: str,
    rol: str,
    perspectief: str,
    wachtwoord: str,
    gemeente: Gemeente | None = None,
    team: Team | None = None,
) -> list[Ongeldig]:
    """Every reason the beheerder's change to this account is refused (all at once, one per field)."""
    fouten = []
    if rol not in set(Rol):
        fouten.append(Ongeldig("rol", "Kies een rol."))
    elif rol == Rol.BEGELEIDER and gemeente is None and team is None:
        fouten.append(Ongeldig("gemeente", BEGELEIDER_ZONDER_GEMEENTE))
    # The account's current perspective stays valid even when its gemeente deactivated it since,
    # but not when the account moves to another gemeente (it would hold a foreign key).
    nieuw_id = team.gemeente_id if team is not None else (gemeente.id if gemeente is not None else None)
    oud_id = user.team.gemeente_id if user.team is not None else user.gemeente_id
    zelfde_gemeente = nieuw_id == oud_id
    behouden = perspectief == user.perspectief and zelfde_gemeente
    if perspectief and not behouden and not perspectief_toegestaan(perspectief, gemeente, team):
        fouten.append(Ongeldig("perspectief", "Kies een perspectief."))
    email = normalise_email(email)
    if db.session.scalar(select(User.id).where(User.email == email, User.id != user.id)) is not None:
        fouten.append(Ongeldig("email", "Er bestaat al een account met dit e-mailadres."))
    if wachtwoord and (reden := bezwaar(wachtwoord)) is not None:
        fouten.append(Ongeldig("wachtwoord", reden))
    return fouten


@transactie
def gebruiker_bijwerken(
    user: User,
    *,
    door: User | None = None,
    naam: str,
    email: str,
    rol: str,
    perspectief: str,
    gemeente: Gemeente | None,
    team: Team | None,
    wachtwoord: str,
) -> User:
    """Change an account's name, e-mail, role, perspective, team or password (empty: unchanged).

    A new role and a password reset are written to the beheerder's logboek.
    """
    fouten = fouten_bij_bijwerken(
        user, email=email, rol=rol, perspectief=perspectief, wachtwoord=wachtwoord, gemeente=gemeente, team=team
    )
    if fouten:
        raise fouten[0]
    geen_bsn("naam", naam)
    nieuwe_gemeente = team.gemeente_id if team else _id(gemeente)
    if door is not None and not (beheert_account(door, user) and beheert_gemeente(door, nieuwe_gemeente)):
        raise Geweigerd(_ANDERE_GEMEENTE)
    if user.verwijderd_op is not None:
        raise Ongeldig("naam", "Dit account is verwijderd en kan niet meer worden gewijzigd.")
    if wachtwoord:
        set_password(user, wachtwoord)
        logboek.schrijf(door, Beheeractie.WACHTWOORD, onderwerp=user)
    if rol and rol != user.rol:
        logboek.schrijf(door, Beheeractie.ROL, onderwerp=user, details=f"rol: {user.rol} → {rol}")
    rechten = (user.rol, user.gemeente_id, user.team_id)
    user.naam = naam.strip()
    user.email = normalise_email(email)
    user.rol = rol or user.rol
    user.perspectief = perspectief or PERSPECTIEF_VAN_ROL.get(user.rol)
    user.team = team
    user.gemeente = team.gemeente if team else gemeente
    if (user.rol, user.gemeente.id if user.gemeente else None, user.team.id if user.team else None) != rechten:
        beeindig_sessies(user)  # what the account may do changed: it signs in again
    return user


@transactie
def actief_wisselen(user: User, door: User | None = None) -> bool:
    """Deactivate or reactivate an account (its history keeps its name); returns the new state."""
    if door is not None and not beheert_account(door, user):
        raise Geweigerd(_ANDERE_GEMEENTE)
    if user.verwijderd_op is not None:
        raise Ongeldig("actief", "Dit account is verwijderd en kan niet meer worden ingeschakeld.")
    user.actief = not user.actief
    beeindig_sessies(user)  # a deactivated account's open sessions end now
    logboek.schrijf(door, Beheeractie.INGESCHAKELD if user.actief else Beheeractie.UITGESCHAKELD, onderwerp=user)
    return user.actief
