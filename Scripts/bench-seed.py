#!/usr/bin/env python3
"""The benchmarks' catalog: 100,000 CREATE CONNECTION statements, half with a secret (the same
script for Scripts/bench.sh and Scripts/bench-postgres.sh, so their figures compare)."""
import sys

with open(sys.argv[1], "w") as f:
    for i in range(100_000):
        if i % 2:
            f.write(f"CREATE CONNECTION c{i} WITH ('type'='openai','endpoint'='https://api.example.com/v1/m{i}','api-key'='bench-fake-{i}');\n")
        else:
            f.write(f"CREATE CONNECTION c{i} WITH ('region'='eu-west-{i % 3}','owner'='team{i % 50}');\n")
