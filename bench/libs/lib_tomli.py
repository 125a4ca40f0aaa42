"""tomli (a pure-Python TOML parser, character by character): parse a generated configuration
document with tables, arrays of tables, inline tables, multi-line and escaped strings, numbers
in every base, dates and times; checks a few values and digests the parsed data.

    python lib_tomli.py [SECTIONS]
"""
import datetime
import hashlib
import sys

import tomli

SIZE = 600  # [[service]] sections in the document


def document(sections):
    parts = ['# generated configuration\ntitle = "Benchmark \\"TOML\\" document"\n',
             "version = 3\nratio = 0.75\nenabled = true\ncreated = 1979-05-27T07:32:00-08:00\n",
             "[owner]\nname = 'Tom Preston-Werner'\nemails = [\"tom@example.org\", 'tpw@example.com']\n\n"]
    for i in range(sections):
        parts.append(f"""[[service]]
name = "svc-{i:03d}"
port = {8000 + i}
hex = 0x{i * 4099:x}
octal = 0o{i * 7:o}
binary = 0b{i:b}
weight = {i * 0.125 + 1e-3}
big = 1_000_{i:03d}
tags = ["alpha", "beta-{i % 5}", 'gamma']
matrix = [[1, 2], [{i}, {i + 1}], []]
limits = {{ cpu = {i % 8 + 1}, memory = "{64 * (i % 16 + 1)}Mi", burst = {str(i % 2 == 0).lower()} }}
started = 2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}
window = {i % 24:02d}:30:00
description = \"\"\"
Service number {i} handles requests \\
  for shard {i % 7}.
Line two has a tab\\there and unicode \\u00e9.\"\"\"
path = 'C:\\Users\\svc{i}'

[service.health]
check = "/health/{i}"
interval = {i % 60 + 1}
"""
        )
    return "".join(parts)


def bench_tomli(sections):
    text = document(sections)
    data = tomli.loads(text)
    services = data["service"]
    if len(services) != sections or services[-1]["port"] != 8000 + sections - 1:
        raise AssertionError("parsed services do not match the document")
    summary = (data["title"], data["created"].isoformat(), data["owner"]["emails"],
               sum(s["port"] for s in services), sum(s["hex"] + s["octal"] + s["binary"] for s in services),
               round(sum(s["weight"] for s in services), 9), sum(s["limits"]["cpu"] for s in services),
               max(s["started"] for s in services).isoformat(), services[min(3, sections - 1)]["description"])
    canonical = repr(sorted((k, repr(v)) for k, v in data.items())).encode()
    return summary, len(text), hashlib.sha256(canonical).hexdigest()[:16]


def main():
    sections = int(sys.argv[1]) if len(sys.argv) > 1 else SIZE
    summary, length, digest = bench_tomli(sections)
    print(f"{length} characters, digest {digest}")
    for item in summary:
        print(" ", repr(item))


if __name__ == "__main__":
    main()
