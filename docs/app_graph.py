"""Print the imports between the apps as a Mermaid graph, for docs/architecture.md.

    .venv/bin/python docs/app_graph.py > /tmp/graph.md

It reads the code with grimp (the library import-linter stands on) and counts, for each pair of apps, the
modules of one that import the other; the contracts in pyproject.toml say which arrows may exist.
"""

import sys
from collections import Counter
from pathlib import Path

import grimp

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


if __name__ == "__main__":
    print(mermaid(app_imports()))
