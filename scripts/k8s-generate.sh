#!/usr/bin/env bash
# Regenerates k8s/ (kustomize base + overlays/dev + overlays/prod) and docker/run-settings.json
# (what ./stack up --containers applies) from the Helm chart in helm/clones, through Helm's own
# library (helm-java) in the deploy-tests module. Run it after any change to the chart or to
# helm/clones/ci/*-values.yaml; deploy-tests fails until you do.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -f deploy-tests/pom.xml compile exec:java
git status --short -- k8s docker 2>/dev/null || true
