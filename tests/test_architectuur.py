"""The shape of the house, checked from the source (docs/architecture.md).

- no import cycle among the modules of facilitatie/, counting imports inside functions too;
- no module imports another area's views: only create_app registers them;
- no view commits or rolls back: commands own their transaction (facilitatie/werk.py);
- reads never import commands: `lezen` modules and `live` fragments sit below the commands.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PAKKET = Path(__file__).resolve().parent.parent / "facilitatie"
AREAS = (
    "accounts",
    "api",
    "avg",
    "knelpunten",
    "leerkring",
    "meldingen",
    "opvolging",
    "reeksen",
    "sessies",
    "signalen",
    "verwachtingen",
    "volgen",
)


def _modulenaam(pad: Path) -> str:
    deel = pad.relative_to(PAKKET.parent).with_suffix("").parts
    return ".".join(deel[:-1] if deel[-1] == "__init__" else deel)


def _modules() -> dict[str, Path]:
    return {_modulenaam(pad): pad for pad in PAKKET.rglob("*.py") if "migrations" not in pad.parts}


def _imports(naam: str, pad: Path, bekend: set[str]) -> set[str]:
    """Every facilitatie module this module imports, at module level or inside a function."""
    doelen: set[str] = set()
    pakket = naam if pad.name == "__init__.py" else naam.rpartition(".")[0]
    for node in ast.walk(ast.parse(pad.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            doelen.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            basis = node.module or ""
            if node.level:
                delen = pakket.split(".")
                basis = ".".join(delen[: len(delen) - node.level + 1] + ([basis] if basis else []))
            for alias in node.names:
                kandidaat = f"{basis}.{alias.name}"
                doelen.add(kandidaat if kandidaat in bekend else basis)
    return {d for d in doelen if d in bekend and d != naam}


def import_graaf() -> dict[str, set[str]]:
    modules = _modules()
    bekend = set(modules)
    return {naam: _imports(naam, pad, bekend) for naam, pad in modules.items()}


def cycli(graaf: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each a cycle."""
    index: dict[str, int] = {}
    laag: dict[str, int] = {}
    stapel: list[str] = []
    op_stapel: set[str] = set()
    uit: list[list[str]] = []
    teller = 0

    def bezoek(v: str) -> None:
        nonlocal teller
        index[v] = laag[v] = teller
        teller += 1
        stapel.append(v)
        op_stapel.add(v)
        for w in sorted(graaf.get(v, ())):
            if w not in index:
                bezoek(w)
                laag[v] = min(laag[v], laag[w])
            elif w in op_stapel:
                laag[v] = min(laag[v], index[w])
        if laag[v] == index[v]:
            component = []
            while True:
                w = stapel.pop()
                op_stapel.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                uit.append(sorted(component))

    for v in sorted(graaf):
        if v not in index:
            bezoek(v)
    return uit


def test_the_cycle_finder_finds_a_cycle():
    assert cycli({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycli({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_imports_inside_functions(tmp_path: Path):
    pad = tmp_path / "x.py"
    pad.write_text("def f():\n    from facilitatie import realtime\n", encoding="utf-8")
    assert _imports("facilitatie.x", pad, {"facilitatie.realtime", "facilitatie"}) == {"facilitatie.realtime"}


def test_no_import_cycles_in_facilitatie():
    assert cycli(import_graaf()) == []


def test_no_module_imports_another_areas_views():
    graaf = import_graaf()
    views = {f"facilitatie.{area}.views" for area in AREAS} | {"facilitatie.accounts.beheer"}
    ontrouw = {
        (naam, doel)
        for naam, doelen in graaf.items()
        for doel in doelen & views
        if naam != "facilitatie" and doel.rpartition(".")[0] != naam.rpartition(".")[0]
    }
    assert ontrouw == set()


@pytest.mark.parametrize("area", AREAS)
def test_no_view_commits_or_rolls_back(area: str):
    for naam in ("views.py", "beheer.py"):
        pad = PAKKET / area / naam
        if pad.exists():
            bron = pad.read_text(encoding="utf-8")
            assert "db.session.commit(" not in bron, pad
            assert "db.session.rollback(" not in bron, pad


def test_reads_and_fragments_never_import_commands():
    graaf = import_graaf()
    commando = {
        naam
        for naam in graaf
        if naam.endswith(".service")
        or naam.rpartition(".")[2] in {"posten", "moderatie", "instellingen", "bundelen", "stemmen", "dialoog", "timer"}
    }
    lagen = [n for n in graaf if n.rpartition(".")[2] in {"lezen", "live", "uitslag", "export", "deelname"}]
    assert {(n, d) for n in lagen for d in graaf[n] & commando} == set()


def test_every_blueprint_is_registered_in_create_app():
    bron = (PAKKET / "__init__.py").read_text(encoding="utf-8")
    for pad in PAKKET.rglob("*.py"):
        tekst = pad.read_text(encoding="utf-8")
        if "record_once" in tekst or ".record(" in tekst:
            pytest.fail(f"{pad} registers something on the app behind create_app's back")
        if "Blueprint(" in tekst and pad.name != "__init__.py":
            module = _modulenaam(pad)
            alias = module.rpartition(".")[0].rpartition(".")[2]
            assert module.rpartition(".")[2] in bron or alias in bron, pad


VOLGORDE = (
    "accounts",
    "sessies",
    "knelpunten",
    "verwachtingen",
    "opvolging",
    "leerkring",
    "reeksen",
    "signalen",
    "volgen",
    "api",
    "meldingen",
    "avg",
)


def test_areas_import_only_the_areas_before_them():
    """Each area imports only the areas before it in VOLGORDE (the order of docs/architecture.md)."""

    def area(module: str) -> str | None:
        delen = module.split(".")
        return delen[1] if len(delen) > 2 and delen[1] in VOLGORDE else None

    tegen = {
        (bron, doel)
        for bron, doelen in import_graaf().items()
        for doel in doelen
        if area(bron) and area(doel) and VOLGORDE.index(area(doel)) > VOLGORDE.index(area(bron))
    }
    assert tegen == set()
