# Sourced by the scripts that start the platform (run.sh, cluster.sh, and bench.sh and chaos.sh through
# measuring.sh); ops/Dockerfile sets the same. The .NET runtime sizes its youngest garbage-collector generation from
# the processor's last-level cache, and a VM that reports its host's (260 MiB on the benchmark machine) gets about
# 75 MiB of allocations between collections: the platform's resident memory then peaked at 555 MiB in a full
# benchmark. 32 MiB keeps the peak small; a collection of the youngest generation is cheap (docs/benchmarks.md).
export DOTNET_GCgen0size=${DOTNET_GCgen0size:-0x2000000}
