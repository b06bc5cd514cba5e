#!/usr/bin/env python3
"""Fails when two top-level modules of api/src import each other, directly or through others.

A top-level module is a file or folder directly under api/src (`audit`, `portal`, `db.rs` …).
Edges come from `crate::<module>` paths anywhere in a module's files (use declarations and
qualified paths alike), so a cycle cannot hide behind a fully qualified call. `lib.rs` and
`main.rs` assemble everything and are not modules of their own. Prints every cycle found (as
strongly connected components) with one example line per edge, and exits 1 if there is any.
"""
import re
import sys
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "api" / "src"
ROOTS = {"lib", "main"}


def module_of(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".rs")


def main() -> int:
    modules = {module_of(p) for p in SRC.rglob("*.rs")} - ROOTS
    edges = defaultdict(dict)  # from -> to -> example
    pattern = re.compile(r"\bcrate::(\w+)")
    group = re.compile(r"\bcrate::\{([^}]*)\}")
    for path in SRC.rglob("*.rs"):
        src_mod = module_of(path)
        if src_mod in ROOTS:
            continue
        text = path.read_text()
        in_tests = False
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip().startswith("#[cfg(test)]"):
                in_tests = True  # tests may reach anywhere; the floor plan is about the product
            if in_tests or line.strip().startswith("//"):
                continue
            targets = pattern.findall(line)
            for g in group.findall(line):
                targets += [t.strip().split("::")[0] for t in g.split(",") if t.strip()]
            for t in targets:
                if t in modules and t != src_mod and t not in edges[src_mod]:
                    edges[src_mod][t] = f"{path.relative_to(SRC.parent.parent)}:{n}: {line.strip()}"
    # Tarjan's strongly connected components.
    index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for m in sorted(modules):
        if m not in index:
            visit(m)
    if not sccs:
        print(f"module-cycles: no cycle between the {len(modules)} top-level modules of api/src")
        return 0
    for comp in sccs:
        print(f"cycle between: {', '.join(comp)}")
        for a in comp:
            for b in comp:
                if b in edges[a]:
                    print(f"  {a} -> {b}   ({edges[a][b]})")
    return 1


if __name__ == "__main__":
    sys.exit(main())
