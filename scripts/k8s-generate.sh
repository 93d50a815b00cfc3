#!/usr/bin/env bash
# Regenerates k8s/ (kustomize base + overlays/dev + overlays/prod) and docker/run-settings.json
# (what ./stack up --containers applies) from the Helm chart in helm/clones, through Helm's own
# library (helm-java) in the deploy-tests module. Run it after any change to the chart or to
# helm/clones/ci/*-values.yaml; deploy-tests fails until you do.
set -euo pipefail
cd "$(dirname "$0")/.."
# Through the reactor, so that deploy-tests' test-scoped sibling modules resolve from their target/
# directories (exec:java resolves the test class path, and nothing is installed to ~/.m2); the class
# path of deploy-tests, the last module built, is the one left in the file.
classpath=$(mktemp)
trap 'rm -f "$classpath"' EXIT
./mvnw -B -q -pl deploy-tests -am compile dependency:build-classpath -Dmdep.includeScope=compile -Dmdep.outputFile="$classpath"
java_home=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
"$java_home/bin/java" -Dclones.root="$PWD" -cp "deploy-tests/target/classes:$(cat "$classpath")" dev.clones.deploy.GenerateFromChart
git status --short -- k8s docker 2>/dev/null || true
