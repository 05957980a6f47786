#!/usr/bin/env python3
"""Parses a Prometheus text page (format 0.0.4) from stdin with the
reference Python parser, prometheus_client's text_string_to_metric_families
(Debian: python3-prometheus-client), and prints every sample on one line:

    <family type> <sample name>{<label>="<value>",...} <value>

labels sorted by name, values as Python floats. Exits 1, with the parser's
complaint on stderr, when the page does not parse. Used by
tests/e2e/metrics_test.cc so that the page is judged by a parser we did not
write."""
import sys

from prometheus_client.parser import text_string_to_metric_families


def main():
    text = sys.stdin.read()
    try:
        families = list(text_string_to_metric_families(text))
    except Exception as error:  # the parser raises ValueError and others
        print(f"not a valid Prometheus text page: {error!r}", file=sys.stderr)
        return 1
    for family in families:
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            print(f"{family.type} {sample.name}{{{labels}}} {float(sample.value)!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
