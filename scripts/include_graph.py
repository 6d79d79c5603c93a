#!/usr/bin/env python3
"""Usage: scripts/include_graph.py [--dot] [LAYER]

Prints the include graph read from lib/'s sources: which layers each layer includes, or with
LAYER, which of that layer's files include which (its rooms), in text or with --dot in
Graphviz's language (dot -Tsvg). What docs/architecture.md draws by hand, read from the code.
"""
import os
import re
import sys

LIB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib")
INCLUDE = re.compile(r'^#include "([a-z_]+)/([a-z_]+)\.hpp"', re.M)


def edges(layer_filter):
    found = set()
    for layer in sorted(os.listdir(LIB)):
        folder = os.path.join(LIB, layer)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if not name.endswith((".hpp", ".cpp")):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as source:
                text = source.read()
            for used_layer, used_file in INCLUDE.findall(text):
                if layer_filter is None:
                    if used_layer != layer:
                        found.add((layer, used_layer))
                elif layer == layer_filter and used_layer == layer_filter:
                    stem = name.rsplit(".", 1)[0]
                    if stem != used_file:
                        found.add((stem, used_file))
    return sorted(found)


def main(argv):
    args = [a for a in argv[1:] if a != "--dot"]
    if any(a.startswith("-") for a in args) or len(args) > 1:
        sys.exit(__doc__)
    graph = edges(args[0] if args else None)
    if "--dot" in argv:
        print("digraph includes {\n  rankdir=BT;")
        for source, target in graph:
            print(f'  "{source}" -> "{target}";')
        print("}")
        return
    uses = {}
    for source, target in graph:
        uses.setdefault(source, []).append(target)
    for source in sorted(uses):
        print(f"{source} -> {', '.join(uses[source])}")


if __name__ == "__main__":
    main(sys.argv)
