#!/bin/sh
# /usr/bin/dns-oops: runs the packaged jar. DNS_OOPS_JAVA_OPTS adds JVM options.
# ExitOnOutOfMemoryError: a JVM out of memory may keep running with dead threads (the core,
# the log writer) while its HTTP server still answers; exiting lets systemd restart it and
# BGP withdraw the routes. DNS_OOPS_JAVA_OPTS comes after it and may override it.
exec java -XX:+ExitOnOutOfMemoryError ${DNS_OOPS_JAVA_OPTS:-} -jar /usr/share/dns-oops/dns-oops.jar "$@"
