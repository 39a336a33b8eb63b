"""Small in-process mutation run: one module, its unit tests, one AST change at a time.

    python scripts/mutatie.py [--timeout S] [--elke N] facilitatie/privacy.py tests/test_privacy.py ...

--timeout S: wall-clock limit per mutant (all its tests together), by SIGALRM; a mutant
that hits it is "killed by timeout" (an endless loop is a behaviour change too).
Default: 10 s or five times the unmutated run, whichever is larger.
--elke N: run only every N-th mutant (1st, N+1-th, ...), a deterministic sample for a
slow module; the summary says so.

Operators: comparison flips (< <=, > >=, == !=, in / not in, is / is not), + -, * /,
and / or, dropping `not`, int constants +1, float constants +1, True/False swapped,
string constants (not docstrings, not the names in __all__) prefixed with "XX",
continue <-> break, and dropping the last argument of a call. Each mutant is compiled and its code objects are swapped
into the live functions (so names the tests imported see it too); module-level
constants are replaced in the module. Tests run in-process through pytest's own
protocol, stopping at the first failure. Prints killed / killed by timeout / survived /
not compilable / not applied (a class decorator: the class object itself is kept) and
lists the survivors (line, change, source line) as Markdown. Written for issue 16 because
mutmut 3 was too slow on a shared two-core machine; it is a tool, not part of the app.
"""

from __future__ import annotations

import ast
import copy
import importlib
import os
import signal
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
    """Constants not to mutate: docstrings and the names in __all__ (only `import *` reads them)."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            ids.update(id(n) for n in ast.walk(node.value) if isinstance(n, ast.Constant))
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
            laatste = node.keywords[-1] if node.keywords else node.args[-1]
            tekst = ast.unparse(laatste)
            tekst = tekst if len(tekst) <= 30 else tekst[:27] + "..."
            uit.append((i, f"drop last argument ({tekst})", ("droparg",)))
    return uit


def in_klassedecorator(tree: ast.AST) -> set[int]:
    """Walk indices of nodes in a class decorator (@dataclass(frozen=True)).

    The runner keeps the original class objects (the tests imported them) and swaps only
    their methods' code, so a changed class decorator never reaches the tests: such a
    mutant is counted as "not applied", not as a survivor.
    """
    binnen = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for deco in node.decorator_list:
                binnen.update(id(n) for n in ast.walk(deco) if not isinstance(n, ast.expr_context))
    return {i for i, node in enumerate(ast.walk(tree)) if id(node) in binnen}


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
    """The module's functions and methods by name; an lru_cache wrapper stands for the function it wraps."""
    uit = {}
    for naam, waarde in namespace.items():
        if isinstance(waarde, types.FunctionType):
            uit[naam] = waarde
        elif isinstance(getattr(waarde, "__wrapped__", None), types.FunctionType) and hasattr(waarde, "cache_clear"):
            uit[naam] = waarde.__wrapped__
        elif isinstance(waarde, type):
            for attr, f in vars(waarde).items():
                f = f.fget if isinstance(f, property) else f
                if isinstance(f, types.FunctionType):
                    uit[f"{naam}.{attr}"] = f
    return uit


def is_functie(waarde: object) -> bool:
    """Kept as the original object while mutating (its code is swapped instead)."""
    return isinstance(waarde, (types.FunctionType, type)) or hasattr(waarde, "cache_clear")


def leeg_caches(namespace: dict) -> None:
    for waarde in list(namespace.values()):
        if hasattr(waarde, "cache_clear") and callable(waarde.cache_clear):
            waarde.cache_clear()


class MutantTimeout(BaseException):
    """Raised by SIGALRM; BaseException, so neither the code under test nor hypothesis swallows it."""


class Runner:
    def __init__(self, modulepad: str, timeout: float | None, elke: int) -> None:
        self.modulepad = modulepad
        self.timeout = timeout
        self.elke = elke

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        from _pytest.runner import runtestprotocol

        naam = self.modulepad.removesuffix(".py").replace("/", ".")
        module = importlib.import_module(naam)
        bron = Path(self.modulepad).read_text(encoding="utf-8")
        tree = ast.parse(bron)
        bronregels = bron.splitlines()
        origineel_dict = dict(module.__dict__)
        origineel_fn = functies(module.__dict__)
        origineel_staat = {k: (f.__code__, f.__defaults__, f.__kwdefaults__) for k, f in origineel_fn.items()}
        # Property-based tests last: they are slow and rarely the first to fail.
        items = sorted(session.items, key=lambda it: hasattr(getattr(it, "obj", None), "hypothesis"))

        def draai() -> bool:
            leeg_caches(module.__dict__)
            for k, item in enumerate(items):
                nxt = items[k + 1] if k + 1 < len(items) else None
                rapporten = runtestprotocol(item, nextitem=nxt, log=False)
                if any(r.failed for r in rapporten):
                    # finish the fixtures of the rest cleanly
                    item.session._setupstate.teardown_exact(None)
                    return False
            return True

        def draai_met_limiet(limiet: float) -> str:
            """'pass', 'fail' or 'timeout'."""
            verlopen = False

            def alarm(signum: int, frame: object) -> None:
                nonlocal verlopen
                verlopen = True
                raise MutantTimeout

            vorige = signal.signal(signal.SIGALRM, alarm)
            signal.setitimer(signal.ITIMER_REAL, limiet)
            try:
                gelukt = draai()
            except MutantTimeout:  # fired between tests, outside pytest's own catching
                session._setupstate.teardown_exact(None)
                gelukt = False
            except Exception:  # noqa: BLE001 - pytest itself broke on the mutant (a failing test's
                # report could not be made, e.g. after a RecursionError): a test failed, so killed
                try:
                    session._setupstate.teardown_exact(None)
                except Exception:  # noqa: BLE001, S110 - nothing more to clean up
                    pass
                gelukt = False
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, vorige)
            if verlopen:
                return "timeout"
            return "pass" if gelukt else "fail"

        def herstel() -> None:
            for k in list(module.__dict__):
                if k not in origineel_dict:
                    del module.__dict__[k]
            module.__dict__.update(origineel_dict)
            for k, f in origineel_fn.items():
                f.__code__, f.__defaults__, f.__kwdefaults__ = origineel_staat[k]
            leeg_caches(module.__dict__)

        begin = time.time()
        assert draai(), "tests fail on the unmutated module"
        basis = time.time() - begin
        limiet = self.timeout or max(10.0, 5 * basis)
        lijst = mutaties(tree)
        alle_nodes = list(ast.walk(tree))
        gekozen = [(n, m) for n, m in enumerate(lijst, 1) if (n - 1) % self.elke == 0]
        print(f"unmutated run {basis:.1f}s; timeout per mutant {limiet:.0f}s; "
              f"{len(gekozen)} of {len(lijst)} mutants", flush=True)  # fmt: skip
        niet_toegepast = in_klassedecorator(tree)
        gedood = timeout = overleefd = fout = overgeslagen = 0
        overlevers = []
        start = time.time()
        for teller, (n, (index, beschrijving, change)) in enumerate(gekozen, 1):
            regel = getattr(alle_nodes[index], "lineno", "?")
            if index in niet_toegepast:
                overgeslagen += 1
                continue
            nieuw = pas_toe(tree, index, change)
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
                    if k in origineel_dict and is_functie(origineel_dict[k]):
                        continue
                    module.__dict__[k] = v
                nieuwe = functies(ns)
                for k, f in origineel_fn.items():
                    if k in nieuwe:
                        try:
                            f.__code__ = nieuwe[k].__code__
                            f.__defaults__ = nieuwe[k].__defaults__
                            f.__kwdefaults__ = nieuwe[k].__kwdefaults__
                        except ValueError:
                            pass
                uitkomst = draai_met_limiet(limiet)
            finally:
                herstel()
            if uitkomst == "pass":
                overleefd += 1
                bronregel = bronregels[regel - 1].strip() if isinstance(regel, int) else ""
                overlevers.append(f"- `{self.modulepad}:{regel}` {beschrijving}: `{bronregel[:70]}`")
                print(f"SURVIVED #{n} {self.modulepad}:{regel}: {beschrijving}", flush=True)
            elif uitkomst == "timeout":
                timeout += 1
                print(f"TIMEOUT #{n} {self.modulepad}:{regel}: {beschrijving}", flush=True)
            else:
                gedood += 1
            if teller % 25 == 0:
                print(f"{teller}/{len(gekozen)} killed {gedood} timeout {timeout} survived {overleefd} "
                      f"({time.time() - start:.0f}s)", flush=True)  # fmt: skip
        # The restore must leave the module as it was: the unmutated tests pass again.
        for k, f in origineel_fn.items():
            assert f.__code__ is origineel_staat[k][0], f"{k} not restored"
        assert draai(), "tests fail after restoring the module"
        steekproef = "all" if self.elke == 1 else f"every {self.elke}th: {len(gekozen)} of {len(lijst)}"
        print(f"RESULT {self.modulepad}: mutants {len(lijst)} (run: {steekproef}), killed {gedood}, "
              f"killed by timeout {timeout}, survived {overleefd}, not compilable/importable {fout}, "
              f"not applied (class decorator) {overgeslagen}; "
              f"{time.time() - start:.0f}s", flush=True)  # fmt: skip
        print("| module | mutants run | killed | killed by timeout | survived | not compilable | not applied |")
        print(f"| `{self.modulepad}` | {len(gekozen)} | {gedood} | {timeout} | {overleefd} | {fout} | {overgeslagen} |")
        print("Survivors:" if overlevers else "Survivors: none")
        for regel in overlevers:
            print(regel)
        return True


def main(argv: list[str]) -> int:
    timeout: float | None = None
    elke = 1
    while argv and argv[0].startswith("--"):
        optie, waarde, *argv = argv
        if optie == "--timeout":
            timeout = float(waarde)
        elif optie == "--elke":
            elke = int(waarde)
        else:
            raise SystemExit(f"unknown option {optie}")
    modulepad, *tests = argv
    # Mutation run only: the same examples every time, no example database in the tree.
    from hypothesis import settings

    settings.register_profile("mutatie", derandomize=True, database=None, deadline=None)
    settings.load_profile(os.environ.get("MUTATIE_HYPOTHESIS_PROFIEL", "mutatie"))
    runner = Runner(modulepad, timeout, elke)
    # pytest-timeout also uses SIGALRM; this run has its own per-mutant limit.
    return pytest.main(["-q", "-p", "no:cacheprovider", "-p", "no:timeout", *tests], plugins=[runner])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
