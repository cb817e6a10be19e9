# dns-oops container image: builds the same jar as `mvn package` in a build stage, runs it as
# an unprivileged user on a JRE. Build: docker build -t dns-oops .
# Run:   docker run -d --name dns-oops -p 53530:53530/udp -p 53530:53530/tcp \
#          -v $PWD/dns-oops.json:/etc/dns-oops/dns-oops.json:ro dns-oops

FROM debian:bookworm AS build
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless maven \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so source edits do not re-download them.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src/main src/main
RUN mvn -B -q -DskipTests package

FROM debian:bookworm-slim
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system dns-oops \
 && useradd --system --gid dns-oops --home-dir /var/lib/dns-oops --shell /usr/sbin/nologin dns-oops \
 && mkdir -p /etc/dns-oops /var/lib/dns-oops /run/dns-oops && chown dns-oops:dns-oops /var/lib/dns-oops /run/dns-oops
COPY --from=build /src/target/dns-oops.jar /usr/share/dns-oops/dns-oops.jar
COPY conf/dns-oops.sh /usr/bin/dns-oops
COPY conf/docker/dns-oops.json /etc/dns-oops/dns-oops.json
USER dns-oops
WORKDIR /var/lib/dns-oops
EXPOSE 53530/udp 53530/tcp
# Healthy while every zone is ready: `dns-oops status` exits 0 (1 when a zone is not, 2 when down).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s CMD ["dns-oops", "status", "-c", "/etc/dns-oops/dns-oops.json", "--json"]
ENTRYPOINT ["dns-oops"]
CMD ["run", "-c", "/etc/dns-oops/dns-oops.json"]
