"""The address people outside this browser use to reach Ontmoet: QR codes and links for others.

`ONTMOET_PUBLIC_URL` (CONTRACT.md) decides when set: every link built for outside use starts
with it, whatever address the begeleider's own browser used. When unset:

- a request that came in on a name or address other than loopback keeps that address (the
  begeleider reached Ontmoet through the network, so a phone on that network can too);
- a request on loopback (`127.0.0.1`, `localhost`, `::1`) while the server listens on every
  interface (`HOST=0.0.0.0` or `::`) gets the machine's LAN address instead, with the same port:
  the begeleider opens `http://127.0.0.1:5000` and the phones scan `http://192.168.1.23:5000`;
- a request on loopback while the server listens on loopback only keeps loopback, and
  `alleen_deze_computer()` says so, so the page can warn that no phone can open it.

Request headers are the client's word (ProxyFix believes no X-Forwarded-Host): links that are
sent to other people belong behind `ONTMOET_PUBLIC_URL`.
"""

from __future__ import annotations

import fcntl
import ipaddress
import re
import socket
import struct
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request

LOOPBACK_NAMEN = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
OVERAL = frozenset({"0.0.0.0", "::", ""})  # noqa: S104 - the addresses that mean "every interface"
_SIOCGIFADDR = 0x8915  # Linux ioctl: the IPv4 address of one interface


def publieke_url(waarde: str | None) -> str | None:
    """ONTMOET_PUBLIC_URL checked and without trailing slash; None when unset.

    Raises ValueError with a Dutch message naming the setting: the start stops there rather
    than print QR codes no phone can open.
    """
    if waarde is None or not waarde.strip():
        return None
    tekst = waarde.strip()
    voorbeeld = "bijvoorbeeld https://ontmoet.gemeente.nl of http://192.168.1.23:5000"
    try:
        delen = urlsplit(tekst)
        _ = delen.port  # raises ValueError for a port that is no number or out of range
    except ValueError:
        raise ValueError(f"ONTMOET_PUBLIC_URL is geen geldig adres ({voorbeeld}), niet {tekst!r}.") from None
    if delen.scheme not in ("http", "https") or not delen.hostname:
        raise ValueError(f"ONTMOET_PUBLIC_URL moet een http- of https-adres zijn ({voorbeeld}), niet {tekst!r}.")
    if delen.username or delen.password:
        raise ValueError("ONTMOET_PUBLIC_URL mag geen gebruikersnaam of wachtwoord bevatten.")
    if delen.query or delen.fragment or any(teken.isspace() for teken in tekst):
        raise ValueError(f"ONTMOET_PUBLIC_URL mag geen ?, # of spaties bevatten ({voorbeeld}), niet {tekst!r}.")
    if delen.hostname in OVERAL or _is_overal(delen.hostname):
        raise ValueError(
            f"ONTMOET_PUBLIC_URL {tekst!r} is een luisteradres, geen adres om te openen: "
            "gebruik de naam of het IP-adres van deze computer in het netwerk."
        )
    return f"{delen.scheme}://{delen.netloc}{delen.path.rstrip('/')}"


def _is_overal(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def is_loopback(host: str | None) -> bool:
    """Whether `host` (a name or address, IPv6 with or without brackets) only reaches this machine."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMEN or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def luistert_overal(host: str | None) -> bool:
    """Whether a server bound to `host` listens on every interface (HOST=0.0.0.0 or ::)."""
    return host is not None and (host.strip("[]") in OVERAL or _is_overal(host.strip("[]")))


def lan_adressen() -> list[str]:
    """This machine's IPv4 addresses on its network interfaces, private ranges first.

    Read from the kernel (an ioctl per interface): nothing is sent over the network.
    Loopback and link-local addresses are left out.
    """
    gevonden: list[ipaddress.IPv4Address] = []
    try:
        interfaces = socket.if_nameindex()
    except OSError:
        interfaces = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for _index, naam in interfaces:
            try:
                antwoord = fcntl.ioctl(s.fileno(), _SIOCGIFADDR, struct.pack("256s", naam[:15].encode()))
            except OSError:
                continue  # no IPv4 address on this interface
            adres = ipaddress.IPv4Address(antwoord[20:24])
            if not (adres.is_loopback or adres.is_link_local or adres.is_unspecified) and adres not in gevonden:
                gevonden.append(adres)
    # Stable sort: private ranges first, otherwise in the kernel's interface order.
    return [str(a) for a in sorted(gevonden, key=lambda a: not a.is_private)]


def lan_adres() -> str | None:
    """The address phones on the same network most likely reach this machine on, or None."""
    adressen = lan_adressen()
    return adressen[0] if adressen else None


def startregels(host: str, port: int, publiek: str | None, lan: str | None) -> list[str]:
    """What `python wsgi.py` (so `make run`) prints: where to open Ontmoet, here and on a phone."""
    if luistert_overal(host):
        regels = [f"Ontmoet draait op http://127.0.0.1:{port} (op deze computer)"]
        if lan:
            regels.append(f"Op telefoons en andere computers in het netwerk: http://{lan}:{port}")
        else:
            regels.append("Geen netwerkadres van deze computer gevonden: telefoons kunnen niet meedoen.")
    else:
        weergave = f"[{host}]" if ":" in host else host
        regels = [f"Ontmoet draait op http://{weergave}:{port}"]
        if is_loopback(host) and not publiek:
            regels.append("Alleen op deze computer te openen; voor telefoons: HOST=0.0.0.0 make run")
    if publiek:
        regels.append(f"Publiek adres (QR-code en links): {publiek}")
    regels.append("(stoppen: Ctrl+C)")
    return regels


def basis() -> str:
    """The root address of Ontmoet as others reach it, without trailing slash (see the module doc)."""
    if publiek := current_app.config.get("PUBLIC_URL"):
        return publiek
    luister = current_app.config.get("LUISTERADRES")
    if not has_request_context():
        host = lan_adres() if luistert_overal(luister) else None
        return f"http://{host or '127.0.0.1'}:{current_app.config.get('LUISTERPOORT', '5000')}"
    delen = urlsplit(request.host_url)
    netloc = delen.netloc
    if is_loopback(delen.hostname) and luistert_overal(luister) and (lan := lan_adres()):
        netloc = lan if delen.port is None else f"{lan}:{delen.port}"
    return f"{delen.scheme}://{netloc}{request.script_root}"


def buiten_url(endpoint: str, **values: object) -> str:
    """The absolute address of `endpoint` for people outside this browser (QR codes, mails).

    `endpoint` is the full name (`"sessies.deelnemen"`): this also works outside a request.
    """
    pad = current_app.url_map.bind("localhost", script_name="/").build(endpoint, values)
    return basis() + pad


def alleen_deze_computer() -> bool:
    """Whether the outside address is loopback: no phone or other computer can open it."""
    return is_loopback(urlsplit(basis()).hostname)



def contactadres(waarde: str | None) -> dict[str, str] | None:
    """ONTMOET_TOEGANKELIJKHEID_CONTACT: an e-mail address or an http(s) page, as a link; None when unset.

    Raises ValueError with a Dutch message naming the setting for anything else.
    """
    if waarde is None or not waarde.strip():
        return None
    tekst = waarde.strip()
    if tekst.startswith(("http://", "https://")):
        delen = urlsplit(tekst)
        if delen.hostname and not any(t.isspace() for t in tekst) and not (delen.username or delen.password):
            return {"href": tekst, "tekst": tekst}
    elif re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+", tekst):
        return {"href": f"mailto:{tekst}", "tekst": tekst}
    raise ValueError(
        "ONTMOET_TOEGANKELIJKHEID_CONTACT moet een e-mailadres of een http(s)-adres zijn "
        f"(bijvoorbeeld toegankelijkheid@vechtstede.nl), niet {tekst!r}."
    )
