"""The shape of the code: kb is the core and has no import cycle; retrieval does not know the
recommendations feature; no product module outside the domain profile holds DTP words."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from kb.settings import CHECKOUT_DIR

PRODUCT = ("kb", "ingest", "api", "ui")
# Words of the field that only the domain profile may match on (accent-folded, lower case).
DTP_WORDS = re.compile(
    r"preconis|recommandation|fiche action|porteur|pilote|partenaire|statut|avancement"
    r"|realis|engag|abandon|report|handicap|sante mentale|psychiatr|sans.abri|mdph|ptsm"
    r"|sommaire|sigle|fictif|livret|feuille de route|bilan"
)


def _module(path: Path) -> str:
    parts = path.relative_to(CHECKOUT_DIR).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def _graph(package: str) -> dict[str, set[str]]:
    files = {_module(p): p for p in (CHECKOUT_DIR / package).rglob("*.py")}
    return {m: {i for i in _imports(p) if i in files and i != m} for m, p in files.items()}


def test_the_core_has_no_import_cycle() -> None:
    graph = _graph("kb")
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, cycles


def test_the_core_imports_nothing_above_it() -> None:
    for path in (CHECKOUT_DIR / "kb").rglob("*.py"):
        above = {i for i in _imports(path) if i.split(".")[0] in ("ingest", "api", "ui", "eval")}
        assert not above, (path, above)


def test_retrieval_does_not_import_the_recommendations_feature() -> None:
    imported = _imports(CHECKOUT_DIR / "kb" / "retrieve.py")
    assert not {i for i in imported if i.startswith("kb.recommendations")}, imported
    knowledge = _imports(CHECKOUT_DIR / "kb" / "recommendations" / "answer.py")
    assert "kb.knowledge" not in knowledge


def _patterns(path: Path) -> list[str]:
    """String constants compiled as regular expressions or matched as word lists."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in (
            "compile",
            "search",
            "match",
            "fullmatch",
            "findall",
            "finditer",
            "sub",
            "split",
        ):
            out += [
                n.value
                for arg in node.args[:1]
                for n in ast.walk(arg)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            ]
        if (
            isinstance(node, ast.Tuple | ast.List | ast.Set)
            and len(node.elts) >= 3
            and path.parts[-2] != "ui"  # the UI's labels are shown, never matched
        ):
            words = [e.value for e in node.elts if isinstance(e, ast.Constant)]
            if len(words) == len(node.elts) and all(isinstance(w, str) for w in words):
                out += words
    return out


def test_no_product_module_outside_the_domain_profile_matches_dtp_words() -> None:
    from kb.text import fold

    found = []
    for package in PRODUCT:
        for path in (CHECKOUT_DIR / package).rglob("*.py"):
            if path.is_relative_to(CHECKOUT_DIR / "kb" / "domain"):
                continue
            for pattern in _patterns(path):
                if DTP_WORDS.search(fold(pattern)):
                    found.append((str(path.relative_to(CHECKOUT_DIR)), pattern[:60]))
    assert not found, found
