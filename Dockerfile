# syntax=docker/dockerfile:1
# tcpautopsy in a container: Debian 12 with its Java 17 runtime. Build it from the repository root:
#   docker build -t tcpautopsy .
# Analyze the captures of the current directory (the reports land in ./tcpautopsy-report/):
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/work" tcpautopsy analyze .
# The upload service, its captures, reports and index in a volume (compose.yaml: with PostgreSQL):
#   docker run -d -p 127.0.0.1:8080:8080 -v tcpautopsy-data:/var/lib/tcpautopsy tcpautopsy \
#     serve --bind 0.0.0.0 --expose --data /var/lib/tcpautopsy

FROM debian:bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends maven openjdk-17-jdk-headless \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pom.xml LICENSE README.md ./
COPY src ./src
COPY templates ./templates
COPY docs ./docs
COPY samples ./samples
# the class-data archive is made in the image below, for its own JVM and path
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests -Dcds.skip=true \
 && mv target/tcpautopsy-*/ /opt/tcpautopsy

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/tcpautopsy /opt/tcpautopsy
RUN --mount=type=bind,from=build,source=/src/samples,target=/tmp/samples \
    java -cp /opt/tcpautopsy/lib/tcpautopsy.jar dev.tcpautopsy.cli.ArchiveTraining build \
      /opt/tcpautopsy/lib/tcpautopsy.jsa /tmp/samples \
 && useradd --system --uid 10001 --home-dir /var/lib/tcpautopsy tcpautopsy \
 && mkdir -p /var/lib/tcpautopsy /work \
 && chown tcpautopsy /var/lib/tcpautopsy /work
ENV PATH=/opt/tcpautopsy/bin:$PATH
USER tcpautopsy
WORKDIR /work
VOLUME /var/lib/tcpautopsy
EXPOSE 8080
ENTRYPOINT ["/opt/tcpautopsy/bin/tcpautopsy"]
CMD ["--help"]
