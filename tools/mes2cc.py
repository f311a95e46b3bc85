#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
"""Generates <name>.h and <name>.cc from a Kea .mes message file.

Debian's kea-dev ships no kea-msg-compiler, so the build makes what it would make:
one isc::log::MessageID per "% ID text" entry and a table registered with
isc::log::MessageInitializer. The .mes file stays the single source of truth.
"""
import os
import re
import sys


def parse(path):
    messages = []
    namespace = None
    with open(path, encoding="utf-8") as mes:
        for number, line in enumerate(mes, 1):
            line = line.rstrip("\n")
            if line.startswith("$NAMESPACE"):
                namespace = line.split(None, 1)[1].strip()
            elif line.startswith("%"):
                parts = line[1:].strip().split(None, 1)
                if not parts or not re.fullmatch(r"[A-Z][A-Z0-9_]*", parts[0]):
                    sys.exit(f"{path}:{number}: bad message ID line: {line}")
                if any(m[0] == parts[0] for m in messages):
                    sys.exit(f"{path}:{number}: duplicate message ID {parts[0]}")
                messages.append((parts[0], parts[1] if len(parts) > 1 else ""))
    if not messages:
        sys.exit(f"{path}: no messages")
    return namespace, messages


def c_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: mes2cc.py FILE.mes OUT.h OUT.cc")
    mes, out_h, out_cc = sys.argv[1:]
    namespace, messages = parse(mes)
    opens = "".join(f"namespace {n} {{\n" for n in namespace.split("::")) if namespace else ""
    closes = "".join("}\n" for _ in namespace.split("::")) if namespace else ""
    guard = re.sub(r"[^A-Z0-9]", "_", os.path.basename(out_h).upper())
    with open(out_h, "w", encoding="utf-8") as h:
        h.write(f"// Generated from {os.path.basename(mes)} by mes2cc.py; do not edit.\n")
        h.write(f"#ifndef {guard}\n#define {guard}\n\n#include <log/message_types.h>\n\n")
        h.write(opens)
        for ident, _ in messages:
            h.write(f"extern const isc::log::MessageID {ident};\n")
        h.write(closes)
        h.write(f"\n#endif\n")
    with open(out_cc, "w", encoding="utf-8") as cc:
        cc.write(f"// Generated from {os.path.basename(mes)} by mes2cc.py; do not edit.\n")
        cc.write("#include <cstddef>\n#include <log/message_types.h>\n"
                 "#include <log/message_initializer.h>\n\n")
        cc.write(opens)
        for ident, _ in messages:
            cc.write(f'extern const isc::log::MessageID {ident} = "{ident}";\n')
        cc.write(closes)
        cc.write("\nnamespace {\n\nconst char* values[] = {\n")
        for ident, text in messages:
            cc.write(f"    {c_string(ident)}, {c_string(text)},\n")
        cc.write("    NULL\n};\n\n"
                 "const isc::log::MessageInitializer initializer(values);\n\n}\n")


if __name__ == "__main__":
    main()
