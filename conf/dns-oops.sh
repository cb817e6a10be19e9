#!/bin/sh
# /usr/bin/dns-oops: runs the packaged jar. DNS_OOPS_JAVA_OPTS adds JVM options.
exec java ${DNS_OOPS_JAVA_OPTS:-} -jar /usr/share/dns-oops/dns-oops.jar "$@"
