"""Small in-process mutation run: one module, its unit tests, one AST change at a time.

    python scripts/mutatie.py facilitatie/privacy.py tests/test_privacy.py tests/test_privacy_grenzen.py

Operators: comparison flips (< <=, > >=, == !=, in / not in, is / is not), + -, * /,
and / or, dropping `not`, int constants +1, float constants +1, True/False swapped,
string constants (not docstrings) prefixed with "XX", continue <-> break, and dropping
the last argument of a call. Each mutant is compiled and its code objects are swapped
into the live functions (so names the tests imported see it too); module-level
constants are replaced in the module. Tests run in-process through pytest's own
protocol, stopping at the first failure. Prints killed / survived / errors and lists
the survivors (line and change). Written for issue 16 because mutmut 3 was too slow on
a shared two-core machine; it is a tool, not part of the app.
"""

from __future__ import annotations

import ast
import copy
import importlib
import sys
import time
import types
from pathlib import Path

import pytest

FLIP = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}  # fmt: skip
BINOP = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult}


def docstring_ids(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def mutaties(tree: ast.AST) -> list[tuple[int, str, object]]:
    """(node index, description, change) for every mutation point, in walk order."""
    docs = docstring_ids(tree)
    uit = []
    in_fstring = {id(n) for j in ast.walk(tree) if isinstance(j, ast.JoinedStr) for n in ast.walk(j)}
    for i, node in enumerate(ast.walk(tree)):
        if isinstance(node, ast.Compare):
            for k, op in enumerate(node.ops):
                if type(op) in FLIP:
                    uit.append((i, f"{type(op).__name__}->{FLIP[type(op)].__name__}", ("cmp", k)))
        elif isinstance(node, ast.BinOp) and type(node.op) in BINOP:
            uit.append((i, f"{type(node.op).__name__}->{BINOP[type(node.op)].__name__}", ("binop",)))
        elif isinstance(node, ast.BoolOp):
            uit.append((i, "and<->or", ("boolop",)))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            uit.append((i, "drop not", ("not",)))
        elif isinstance(node, ast.Constant) and id(node) not in docs and id(node) not in in_fstring:
            v = node.value
            if isinstance(v, bool):
                uit.append((i, f"{v}->{not v}", ("const", not v)))
            elif isinstance(v, int):
                uit.append((i, f"{v}->{v + 1}", ("const", v + 1)))
            elif isinstance(v, float):
                uit.append((i, f"{v}->{v + 1}", ("const", v + 1)))
            elif isinstance(v, str) and v:
                uit.append((i, f"{v[:20]!r}->'XX'+..", ("const", "XX" + v)))
        elif isinstance(node, ast.Continue):
            uit.append((i, "continue->break", ("swap", ast.Break)))
        elif isinstance(node, ast.Break):
            uit.append((i, "break->continue", ("swap", ast.Continue)))
        elif isinstance(node, ast.Call) and len(node.args) + len(node.keywords) >= 2:
            uit.append((i, "drop last argument", ("droparg",)))
    return uit


def pas_toe(tree: ast.AST, doel: int, change: tuple) -> ast.AST:
    nieuw = copy.deepcopy(tree)
    nodes = list(ast.walk(nieuw))
    node = nodes[doel]
    soort = change[0]
    if soort == "cmp":
        node.ops[change[1]] = FLIP[type(node.ops[change[1]])]()
    elif soort == "binop":
        node.op = BINOP[type(node.op)]()
    elif soort == "boolop":
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif soort == "not":
        for ouder in nodes:
            for veld, waarde in ast.iter_fields(ouder):
                if waarde is node:
                    setattr(ouder, veld, node.operand)
                elif isinstance(waarde, list):
                    for j, x in enumerate(waarde):
                        if x is node:
                            waarde[j] = node.operand
    elif soort == "const":
        node.value = change[1]
    elif soort == "swap":
        for ouder in nodes:
            for _veld, waarde in ast.iter_fields(ouder):
                if isinstance(waarde, list):
                    for j, x in enumerate(waarde):
                        if x is node:
                            waarde[j] = ast.copy_location(change[1](), node)
    elif soort == "droparg":
        if node.keywords:
            node.keywords.pop()
        else:
            node.args.pop()
    return ast.fix_missing_locations(nieuw)


def functies(namespace: dict) -> dict[str, types.FunctionType]:
    uit = {}
    for naam, waarde in namespace.items():
        if isinstance(waarde, types.FunctionType):
            uit[naam] = waarde
        elif isinstance(waarde, type):
            for attr, f in vars(waarde).items():
                f = f.fget if isinstance(f, property) else f
                if isinstance(f, types.FunctionType):
                    uit[f"{naam}.{attr}"] = f
    return uit


class Runner:
    def __init__(self, modulepad: str) -> None:
        self.modulepad = modulepad
        self.items: list[pytest.Item] = []

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        from _pytest.runner import runtestprotocol

        naam = self.modulepad.removesuffix(".py").replace("/", ".")
        module = importlib.import_module(naam)
        bron = Path(self.modulepad).read_text(encoding="utf-8")
        tree = ast.parse(bron)
        origineel_dict = dict(module.__dict__)
        origineel_code = {k: f.__code__ for k, f in functies(module.__dict__).items()}
        items = sorted(
            session.items,
            key=lambda it: (
                "hypothesis" in str(getattr(it, "function", ""))
                or "eigenschap" in it.name
                or "property" in it.name
                or "given" in repr(getattr(it, "obj", ""))
            ),
        )

        def draai() -> bool:
            for k, item in enumerate(items):
                nxt = items[k + 1] if k + 1 < len(items) else None
                rapporten = runtestprotocol(item, nextitem=nxt, log=False)
                if any(r.failed for r in rapporten):
                    # finish the fixtures of the rest cleanly
                    item.session._setupstate.teardown_exact(None)
                    return False
            return True

        assert draai(), "tests fail on the unmutated module"
        lijst = mutaties(tree)
        gedood = overleefd = fout = 0
        overlevers = []
        start = time.time()
        for n, (index, beschrijving, change) in enumerate(lijst, 1):
            nieuw = pas_toe(tree, index, change)
            regel = getattr(list(ast.walk(tree))[index], "lineno", "?")
            try:
                code = compile(nieuw, self.modulepad, "exec")
                ns: dict = {"__name__": naam, "__file__": module.__file__}
                exec(code, ns)  # noqa: S102 - running a mutant is the point
            except Exception:  # noqa: BLE001 - a mutant may fail in any way on import
                fout += 1
                continue
            try:
                for k, v in ns.items():
                    if k.startswith("__"):
                        continue
                    if k in origineel_dict and isinstance(origineel_dict[k], (types.FunctionType, type)):
                        continue
                    module.__dict__[k] = v
                nieuwe = functies(ns)
                for k, f in functies(origineel_dict).items():
                    if k in nieuwe:
                        try:
                            f.__code__ = nieuwe[k].__code__
                            f.__defaults__ = nieuwe[k].__defaults__
                        except ValueError:
                            pass
                if draai():
                    overleefd += 1
                    overlevers.append(f"{self.modulepad}:{regel}: {beschrijving}")
                    print(f"SURVIVED {self.modulepad}:{regel}: {beschrijving}", flush=True)
                else:
                    gedood += 1
            finally:
                module.__dict__.update(origineel_dict)
                for k, f in functies(origineel_dict).items():
                    f.__code__ = origineel_code[k]
            if n % 25 == 0:
                print(f"{n}/{len(lijst)} killed {gedood} survived {overleefd} ({time.time() - start:.0f}s)", flush=True)
        print(f"RESULT {self.modulepad}: mutants {len(lijst)}, killed {gedood}, survived {overleefd}, "
              f"not compilable/importable {fout}", flush=True)  # fmt: skip
        return True


if __name__ == "__main__":
    runner = Runner(sys.argv[1])
    sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", *sys.argv[2:]], plugins=[runner]))
