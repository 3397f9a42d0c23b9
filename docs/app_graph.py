"""Print the imports between the apps as a Mermaid graph, for docs/architecture.md.

    .venv/bin/python docs/app_graph.py > /tmp/graph.md
    .venv/bin/python docs/app_graph.py --check   # (make check) the arrows drawn in docs/architecture.md are the code's


It reads the code with grimp (the library import-linter stands on) and counts, for each pair of apps, the
modules of one that import the other; the contracts in pyproject.toml say which arrows may exist.
"""

import re
import sys
from collections import Counter
from pathlib import Path

import grimp

DOCUMENT = Path(__file__).resolve().parent / "architecture.md"
APPS = ["accounts", "courses", "catalogue", "enrolment", "atmp"]


def app_imports():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    graph = grimp.build_graph(*APPS, include_external_packages=False)
    edges = Counter()
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            source, target = importer.split(".")[0], imported.split(".")[0]
            if source != target:
                edges[source, target] += 1
    return edges


def mermaid(edges):
    lines = ["```mermaid", "flowchart BT"]
    for (source, target), count in sorted(edges.items(), key=lambda item: (APPS.index(item[0][0]), item[0][1])):
        lines.append(f"    {source} -->|{count}| {target}")
    lines.append("```")
    return "\n".join(lines)


def check(document=DOCUMENT):
    """Compare arrows, not counts: a new import should not fail the build, a new dependency between apps should."""
    drawn = set(re.findall(r"^\s+(\w+) -->\|\d+\| (\w+)$", document.read_text(), re.MULTILINE))
    actual = set(app_imports())
    if drawn != actual:
        print(f"docs/architecture.md draws {sorted(drawn)}, the code has {sorted(actual)}: run docs/app_graph.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(check()) if "--check" in sys.argv else print(mermaid(app_imports()))
