# One image per Java service, built from a clean checkout:
#   docker build --build-arg MODULE=cliente-service -t registro/cliente-service .
# MODULE is one of cliente-service, reporte-service, logger-service, panel-service.

FROM eclipse-temurin:17-jdk AS build
ARG MODULE
WORKDIR /src
# The Maven cache survives between builds (BuildKit), so only a first build downloads.
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -DskipTests -pl "${MODULE}" -am package \
 && java -Djarmode=tools -jar "${MODULE}/target/${MODULE}.jar" extract --layers --launcher --destination /extracted

FROM eclipse-temurin:17-jre
# The JRE image has no HTTP client; the healthchecks need one.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin registro \
 && mkdir -p /data && chown registro /data
WORKDIR /app
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
USER registro
ENV SERVER_PORT=8080 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k"
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=5 \
  CMD curl -fs http://127.0.0.1:8080/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
