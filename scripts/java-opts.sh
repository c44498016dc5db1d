# Sourced by scripts/local-stack.sh and scripts/bench.sh: the JVM flags every service runs with
# outside Docker (the README's Benchmarks say why); LOCAL_STACK_JAVA_OPTS replaces them.
# shellcheck shell=bash
java_opts="${LOCAL_STACK_JAVA_OPTS:--Xms64m -Xmx160m -XX:+UseSerialGC -Xss512k -XX:TieredStopAtLevel=1}"
