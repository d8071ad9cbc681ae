#!/bin/sh
# The Node.js flags an app runs with: `sh scripts/node-flags.sh <app>` prints them. The one place
# they are set: scripts/run-system.sh, the image (Dockerfile) and the benchmarks that start a
# service in a process of its own read them here. POSIX sh, as the image's CMD runs it.
#
# segment-evaluation: young generation of 4 MiB semi-spaces instead of V8's 16: its reads allocate
# fast, and the default lets the heap's young space grow to ~50 MiB of RSS beside the evaluation
# index; and a full collection once the old generation has grown by half of what it kept at the
# last one: a membership job's garbage (chunks promoted while their I/O is under way) is collected
# during the job instead of growing the heap by ~100 MiB at 1M accounts (docs/benchmarks.md,
# "Segments: evaluation index", memory).
case "${1:?usage: node-flags.sh <app>}" in
  segment-evaluation) echo "--max-semi-space-size=4 --heap-growing-percent=50" ;;
  *) echo "" ;;
esac
