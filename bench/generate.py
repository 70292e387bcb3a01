#!/usr/bin/env python3
"""Writes a catalog of N generated entries, for measuring `site` against
`export` (bench/site.sh). Entries have the shape of benches/catalog.rs's
generator: every facet set, two releases with requirements, a dated review,
taxonomy ids drawn from the shipped taxonomy.

    bench/generate.py 10000 /tmp/catalog-10k
"""
import os
import re
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def vocabulary(text, key):
    """The ids of one top-level list of taxonomy.yaml, in file order."""
    block = re.search(r"^%s:\n(.*?)(?=^\S|\Z)" % key, text, re.S | re.M).group(1)
    return re.findall(r"^  - id: (\S+)", block, re.M)


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    taxonomy = open(os.path.join(ROOT, "catalog/taxonomy.yaml"), encoding="utf-8").read()
    cats, risks, life, mods, ifaces = (
        vocabulary(taxonomy, k)
        for k in ("categories", "risks", "lifecycle", "modalities", "interfaces")
    )
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "tools"))
    shutil.copy(os.path.join(ROOT, "catalog/taxonomy.yaml"), os.path.join(out, "taxonomy.yaml"))
    # The framework registries the taxonomy's mappings name.
    shutil.copytree(os.path.join(ROOT, "catalog/frameworks"), os.path.join(out, "frameworks"))
    with open(os.path.join(out, "alliance-catalog.toml"), "w") as f:
        f.write('name = "Generated catalog"\n[limits]\nmax_entries = 1000000\n')

    def pick(items, i, k):
        return ", ".join(sorted({items[(i * 7 + j * 3) % len(items)] for j in range(k)}))

    licenses = ["Apache-2.0", "MIT", "BSD-3-Clause", "MIT OR Apache-2.0"]
    statuses = ["provisional", "vetted", "deprecated"]
    for i in range(n):
        tid = "tool-%06d" % i
        a, b, c2, mm, dd = 1 + i % 5, i % 9, 1 + i % 9, 1 + i % 12, 1 + i % 28
        text = f"""schema_version: 1.0.0
id: {tid}
name: Generated Tool {i}
summary: A generated entry number {i} that classifies prompts and responses for safety benchmarks.
description: |
  Generated for the benchmark. It stands for a real tool with a description of a few
  sentences, a couple of releases with requirements, and a dated review.
homepage: https://example.org/tools/{tid}
repository: https://github.com/example/{tid}
license: {licenses[i % 4]}
maintainers:
  - name: Example Lab {i % 97}
    url: https://example.org/lab/{i % 97}
categories: [{pick(cats, i, 2)}]
risks: [{pick(risks, i, 3)}]
lifecycle: [{pick(life, i, 2)}]
modalities: [{pick(mods, i, 1)}]
languages: [en, ja, "no"]
interfaces: [{pick(ifaces, i, 2)}]
tags: [generated, benchmark]
versions:
  - version: "{a}.{b}.0"
    released: 2025-{mm:02}-{dd:02}
    requires:
      python: ">=3.9, <3.14"
      pytorch: ">=2.{b}"
  - version: "{a}.0.{c2}"
    released: 2024-{mm:02}-{dd:02}
    requires:
      python: ">=3.8"
vetting:
  status: {statuses[i % 3]}
  reviewed: 2026-06-01
  reviewers: [{'reviewer-a, reviewer-b' if i % 3 == 1 else 'catalog-maintainers'}]
  evidence:
    - https://github.com/example/{tid}/blob/main/LICENSE
  next_review: 2027-06-01
"""
        with open(os.path.join(out, "tools", tid + ".yaml"), "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
