#!/usr/bin/python3
"""Parses a Prometheus text exposition with prometheus_client's parser (Debian's
python3-prometheus-client) and prints what it understood: "# NAME TYPE" per family, then one
"NAME{LABELS} VALUE" per sample, labels sorted. Exits 1 with the parser's error if it fails."""
import sys

from prometheus_client.parser import text_string_to_metric_families


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as exposition:
        text = exposition.read()
    try:
        for family in text_string_to_metric_families(text):
            print(f"# {family.name} {family.type}")
            for sample in family.samples:
                labels = ",".join(f'{key}="{value}"' for key, value in sorted(sample.labels.items()))
                name = f"{sample.name}{{{labels}}}" if labels else sample.name
                print(f"{name} {sample.value:g}")
    except Exception as error:  # the parser raises ValueError and friends on bad input
        print(f"unparsable: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
