#!/usr/bin/env python3
"""Usage: layer_view.py VIEW_DIR LIB_DIR LAYER...

Makes VIEW_DIR a layer's view of lib/: one symlink per LAYER, VIEW_DIR/LAYER -> LIB_DIR/LAYER,
and nothing else. A layer compiles with only its view on the include path, so
'#include "LAYER/x.hpp"' works for the layers it may use and fails for the rest: the layering
of docs/architecture.md is checked by the compiler, not by a review. Run by meson at setup.
"""
import os
import sys


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    view, lib = argv[1], os.path.abspath(argv[2])
    layers = set(argv[3:])
    os.makedirs(view, exist_ok=True)
    for entry in os.listdir(view):
        path = os.path.join(view, entry)
        if entry not in layers or os.readlink(path) != os.path.join(lib, entry):
            os.remove(path)
    for layer in sorted(layers):
        target = os.path.join(lib, layer)
        if not os.path.isdir(target):
            sys.exit(f"layer_view.py: no folder {target}")
        link = os.path.join(view, layer)
        if not os.path.islink(link):
            os.symlink(target, link)


if __name__ == "__main__":
    main(sys.argv)
