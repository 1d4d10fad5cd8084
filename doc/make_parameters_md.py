#!/usr/bin/python3
"""Write doc/parameters.md, the reference of every parameter-file entry, from
`fbpinn --print-parameters=json` (read from standard input): one section per
subsection, in the order and nesting of the file, each entry with its
default, what it accepts, and its documentation. Run through the build target
`parameters-doc`; the test cli/parameters_doc fails when the committed file
differs from what the binary prints."""
import json
import sys


def escape(text):
    return text.replace("|", "\\|").replace("\n", " ")


def entries_and_sections(node):
    entries, sections = [], []
    for name, value in node.items():
        if isinstance(value, dict) and "default_value" in value and "documentation" in value:
            entries.append((name, value))
        elif isinstance(value, dict):
            sections.append((name, value))
    return entries, sections


def write(node, path, out):
    entries, sections = entries_and_sections(node)
    if entries:
        title = " / ".join(path) if path else "Top level"
        out.append(f"\n## {title}\n")
        if path:
            out.append("```\n" + "".join(f"{'  ' * i}subsection {p}\n" for i, p in enumerate(path)) + "```\n")
        out.append("| entry | default | accepts | documentation |")
        out.append("|---|---|---|---|")
        for name, e in entries:
            default = e["default_value"]
            out.append(f"| `{escape(name)}` | {('`' + escape(default) + '`') if default else '(empty)'} "
                       f"| {escape(e.get('pattern_description', ''))} | {escape(e['documentation'])} |")
    for name, sub in sections:
        write(sub, path + [name], out)


def main():
    tree = json.load(sys.stdin)
    out = ["# Parameter reference", "",
           "Every entry of an fbpinn parameter file with its default, what it accepts",
           "and its documentation, generated from `fbpinn --print-parameters=json` by",
           "`cmake --build build --target parameters-doc` (doc/make_parameters_md.py);",
           "do not edit it by hand: the test `cli/parameters_doc` fails when it",
           "differs from what the binary prints. Problems and methods loaded from",
           "plugins add their own subsections (`fbpinn --print-parameters FILE.prm`)."]
    write(tree, [], out)
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
