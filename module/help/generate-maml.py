#!/usr/bin/env python3
"""Renders module/help/help.json as MAML (BinlogArchive.Cmdlets.dll-Help.xml), the help format
binary cmdlets use. Parameter types and sets come from the cmdlets themselves at run time; this
file supplies the words. Run by the build (StageModule) and checked by the metadata tests."""
import json
import sys
from xml.sax.saxutils import escape

NS = ('xmlns:maml="http://schemas.microsoft.com/maml/2004/10" '
      'xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" '
      'xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10"')


def para(text):
    return f"<maml:para>{escape(text)}</maml:para>"


def render(help_json):
    out = ['<?xml version="1.0" encoding="utf-8"?>', f'<helpItems schema="maml" {NS}>']
    for name, h in help_json.items():
        verb, noun = name.split("-", 1)
        out.append("  <command:command>")
        out.append("    <command:details>")
        out.append(f"      <command:name>{escape(name)}</command:name>")
        out.append(f"      <command:verb>{escape(verb)}</command:verb><command:noun>{escape(noun)}</command:noun>")
        out.append(f"      <maml:description>{para(h['synopsis'])}</maml:description>")
        out.append("    </command:details>")
        out.append(f"    <maml:description>{para(h['description'])}</maml:description>")
        out.append("    <command:parameters>")
        for pname, ptext in h["parameters"].items():
            out.append('      <command:parameter required="false" globbing="false" pipelineInput="false">')
            out.append(f"        <maml:name>{escape(pname)}</maml:name>")
            out.append(f"        <maml:description>{para(ptext)}</maml:description>")
            out.append("      </command:parameter>")
        out.append("    </command:parameters>")
        out.append("    <command:examples>")
        for i, (code, remarks) in enumerate(h["examples"], 1):
            out.append("      <command:example>")
            out.append(f"        <maml:title>-------------------------- Example {i} --------------------------</maml:title>")
            out.append(f"        <dev:code>{escape(code)}</dev:code>")
            out.append(f"        <dev:remarks>{para(remarks)}</dev:remarks>")
            out.append("      </command:example>")
        out.append("    </command:examples>")
        out.append("  </command:command>")
    out.append("</helpItems>")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        text = render(json.load(f))
    with open(target, "w", encoding="utf-8") as f:
        f.write(text)
