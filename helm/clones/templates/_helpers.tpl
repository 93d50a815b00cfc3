{{/* Chart name, overridable. */}}
{{- define "clones.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* "<release>-<chart>", or the release name alone when it already contains the chart name. */}}
{{- define "clones.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "clones.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The service name of a services.<key>: authService -> auth-service. */}}
{{- define "clones.component" -}}
{{- kebabcase . -}}
{{- end -}}

{{/* Name of a component's objects. Args: (dict "root" $ "component" "auth-service") */}}
{{- define "clones.componentFullname" -}}
{{- printf "%s-%s" (include "clones.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object. Args: (dict "root" $ "component" "...") */}}
{{- define "clones.labels" -}}
helm.sh/chart: {{ include "clones.chart" .root }}
{{ include "clones.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: {{ include "clones.name" .root }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end -}}

{{/* Labels that select a component's pods. Args: (dict "root" $ "component" "...") */}}
{{- define "clones.selectorLabels" -}}
app.kubernetes.io/name: {{ include "clones.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Image of a service. Args: (dict "root" $ "component" "auth-service" "image" $svc.image) */}}
{{- define "clones.serviceImage" -}}
{{- $repo := .image.repository | default (printf "%s/%s" (trimSuffix "/" .root.Values.image.repositoryPrefix) .component) -}}
{{- $tag := .image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- if eq (toString $tag) "latest" -}}
{{- fail (printf "%s: the image tag \"latest\" is not allowed; pin a version" .component) -}}
{{- end -}}
{{- printf "%s:%s" $repo (toString $tag) -}}
{{- end -}}

{{/* Name of the Secret the services read: existing or chart-made. */}}
{{- define "clones.secretName" -}}
{{- if .Values.secrets.existingSecret -}}
{{- .Values.secrets.existingSecret -}}
{{- else -}}
{{- printf "%s-secrets" (include "clones.fullname" .) -}}
{{- end -}}
{{- end -}}

{{- define "clones.configName" -}}
{{- printf "%s-config" (include "clones.fullname" .) -}}
{{- end -}}

{{/* Hosts of the dev backing servers. */}}
{{- define "clones.devRedisName" -}}{{ include "clones.componentFullname" (dict "root" . "component" "dev-redis") }}{{- end -}}
{{- define "clones.devRabbitmqName" -}}{{ include "clones.componentFullname" (dict "root" . "component" "dev-rabbitmq") }}{{- end -}}
{{- define "clones.devMinioName" -}}{{ include "clones.componentFullname" (dict "root" . "component" "dev-minio") }}{{- end -}}

{{/* RabbitMQ host and port the services use (the dev server when dev.enabled). */}}
{{- define "clones.rabbitmqHost" -}}
{{- if .Values.dev.enabled -}}{{ include "clones.devRabbitmqName" . }}{{- else -}}{{ .Values.rabbitmq.host }}{{- end -}}
{{- end -}}
{{- define "clones.rabbitmqPort" -}}
{{- if .Values.dev.enabled -}}5672{{- else -}}{{ .Values.rabbitmq.port }}{{- end -}}
{{- end -}}

{{/*
Environment taken from the Secret, one entry per key. optional: a key that a deployment does
not use (an S3 key under workload identity, a Redis without AUTH) may be absent.
Args: (dict "root" $ "keys" list)
*/}}
{{- define "clones.secretEnv" -}}
{{- range .keys }}
- name: {{ . }}
  valueFrom:
    secretKeyRef:
      name: {{ include "clones.secretName" $.root }}
      key: {{ . }}
      optional: true
{{- end }}
{{- end -}}

{{/* NAME: value map as a container env list. */}}
{{- define "clones.envMap" -}}
{{- range $name, $value := . }}
- name: {{ $name }}
  value: {{ toString $value | quote }}
{{- end }}
{{- end -}}

{{/* A container securityContext with the chart's defaults. */}}
{{- define "clones.containerSecurityContext" -}}
{{- toYaml .Values.podDefaults.containerSecurityContext }}
{{- end -}}

{{/* Refuses settings that would make a client stick to one replica (API.md: no sticky sessions). */}}
{{- define "clones.refuseStickiness" -}}
{{- range $key, $value := .Values.ingress.annotations }}
{{- $text := printf "%s=%v" $key $value | lower }}
{{- if or (contains "affinity" $text) (contains "sticky" $text) (contains "stickiness" $text) (contains "session-cookie" $text) (contains "hash-by" $text) }}
{{- fail (printf "ingress.annotations: %q would pin clients to one replica; API.md forbids sticky sessions" $key) }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Allowed origins: config.allowedOrigins, else derived from ingress.host. */}}
{{- define "clones.allowedOrigins" -}}
{{- if .Values.config.allowedOrigins -}}
{{- join "," .Values.config.allowedOrigins -}}
{{- else if and .Values.ingress.enabled .Values.ingress.host -}}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.host -}}
{{- end -}}
{{- end -}}

{{/* The CA of a Redis with TLS (redis.tls.caSecret) is mounted here; the configmap points the services at it. */}}
{{- define "clones.redisCaPath" -}}/etc/clones/redis-tls/ca.crt{{- end -}}

{{/* True ("true") when the services reach a Redis of redis.* over TLS with a CA of redis.tls.caSecret. */}}
{{- define "clones.redisCaMounted" -}}
{{- if and (not .Values.dev.enabled) .Values.redis.tls.caSecret -}}
{{- if not (hasPrefix "rediss://" .Values.redis.hosts) -}}
{{- fail (printf "redis.tls.caSecret (%s) is for a Redis reached over TLS: redis.hosts must start with rediss://" .Values.redis.tls.caSecret) -}}
{{- end -}}
true
{{- end -}}
{{- end -}}

{{/* The volume mount and the volume of the Redis CA, for every container that talks to Redis. */}}
{{- define "clones.redisCaVolumeMount" -}}
{{- if include "clones.redisCaMounted" . }}
- name: redis-ca
  mountPath: {{ dir (include "clones.redisCaPath" .) }}
  readOnly: true
{{- end }}
{{- end -}}
{{- define "clones.redisCaVolume" -}}
{{- if include "clones.redisCaMounted" . }}
- name: redis-ca
  secret:
    secretName: {{ .Values.redis.tls.caSecret }}
    items:
      - key: ca.crt
        path: ca.crt
{{- end }}
{{- end -}}
