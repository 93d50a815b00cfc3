#!/usr/bin/env bash
# Smoke journey of media-service through the load balancer, for the stack smoke test:
#
#   . scripts/smoke/media-journey.sh && journey_media
#
# Self-contained: it uses only BASE (the entry point, e.g. http://127.0.0.1:28080; B is
# accepted too), ROOT (the repository root; REPO is accepted too) and the global counters
# PASSED and FAILED, which it increments. Needs curl, jq and sha256sum.
#
# The journey: a user registers and logs in, uploads a PNG avatar and a 3 MiB file; the
# media-service replica that stored the file is SIGKILLed; the avatar redirect (no session)
# and the file's content redirect still answer through the load balancer, and the bytes
# fetched from the signed URLs have the SHA-256 of what was uploaded: nothing lived on the
# killed replica. A text file sent as image/png is refused (415). The replica is restarted.

media_assert() { # DESCRIPTION COMMAND...: one step, counted in PASSED or FAILED
  local desc=$1
  shift
  if "$@"; then
    PASSED=$((${PASSED:-0} + 1))
    printf '  ok    %s\n' "$desc"
  else
    FAILED=$((${FAILED:-0} + 1))
    printf '  FAIL  %s\n' "$desc"
  fi
}

# media_http METHOD PATH [CURL ARGS...]: sets MEDIA_STATUS and MEDIA_BODY; headers in $MEDIA_WORK/headers
media_http() {
  local method=$1 path=$2
  shift 2
  MEDIA_STATUS=$(curl -s -m 60 -X "$method" -o "$MEDIA_WORK/body" -D "$MEDIA_WORK/headers" -w '%{http_code}' "$@" "$MEDIA_BASE$path")
  MEDIA_BODY=$(head -c 4000 "$MEDIA_WORK/body" 2>/dev/null | tr -d '\0')
}
media_header() { tr -d '\r' <"$MEDIA_WORK/headers" | sed -n "s/^$1: *//Ip" | tail -n1; }
media_json() { jq -e "$@" <<<"$MEDIA_BODY" >/dev/null 2>&1; }   # media_json [--arg k v] FILTER
media_status_is() { [[ $MEDIA_STATUS == "$1" ]]; }
media_section() { printf '\n--- %s\n' "$*"; }
media_sha256() { sha256sum "$1" | cut -d' ' -f1; }
media_quietly() { # COMMAND...: runs it, shows its output only when it fails
  local out
  out=$("$@" 2>&1) && return 0
  printf '        %s\n' "${out//$'\n'/$'\n'        }" | tail -n 20
  return 1
}

# media_redirect PATH [CURL ARGS...]: GET through the load balancer until it answers 302 (a request that
# met the killed replica is retried, as a client would); sets MEDIA_LOCATION.
media_redirect() {
  local path=$1 attempt
  shift
  MEDIA_LOCATION=
  for attempt in 1 2 3 4 5; do
    media_http GET "$path" "$@"
    if media_status_is 302; then
      MEDIA_LOCATION=$(media_header Location)
      return 0
    fi
    printf '        GET %s attempt %d: %s %s\n' "$path" "$attempt" "$MEDIA_STATUS" "${MEDIA_BODY:0:200}"
    sleep 1
  done
  return 1
}

# media_download URL FILE: a plain GET of a signed object-storage URL, no session; sets MEDIA_STATUS.
media_download() {
  MEDIA_STATUS=$(curl -s -m 60 -o "$2" -D "$MEDIA_WORK/download-headers" -w '%{http_code}' "$1")
}

journey_media() {
  local MEDIA_BASE=${BASE:-${B:-http://127.0.0.1:28080}}
  local root=${ROOT:-${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}}
  local MEDIA_WORK MEDIA_STATUS MEDIA_BODY MEDIA_LOCATION
  MEDIA_WORK=$(mktemp -d /tmp/media-journey.XXXXXX)
  local email="media-smoke-$RANDOM$RANDOM@example.com" password="media-smoke-$RANDOM-$RANDOM"
  local token user_id file_id avatar_by file_by replica killed png=$MEDIA_WORK/avatar.png data=$MEDIA_WORK/data.bin

  media_section "media: a user registers and logs in"
  media_http POST /api/auth/register -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\",\"displayName\":\"Media Smoke\"}"
  media_assert "POST /api/auth/register -> $MEDIA_STATUS" media_status_is 201
  user_id=$(jq -r '.id // empty' <<<"$MEDIA_BODY" 2>/dev/null)
  media_http POST /api/auth/login -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}"
  token=$(jq -r '.sessionId // empty' <<<"$MEDIA_BODY" 2>/dev/null)
  media_assert "POST /api/auth/login -> $MEDIA_STATUS, a bearer session id" test -n "$token"
  local auth=(-H "Authorization: Bearer $token")

  media_section "media: an avatar and a file go to object storage"
  # A 1x1 PNG.
  base64 -d >"$png" <<<'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=='
  media_http PUT /api/media/avatar "${auth[@]}" -H 'Content-Type: image/png' --data-binary "@$png"
  avatar_by=$(media_header X-Served-By)
  media_assert "PUT /api/media/avatar -> $MEDIA_STATUS by $avatar_by, url $(jq -r '.url // empty' <<<"$MEDIA_BODY" 2>/dev/null)" \
    media_json --arg u "/api/media/avatar/$user_id" '.url == $u'
  printf 'not a picture at all\n' >"$MEDIA_WORK/fake.png"
  media_http PUT /api/media/avatar "${auth[@]}" -H 'Content-Type: image/png' --data-binary "@$MEDIA_WORK/fake.png"
  media_assert "PUT /api/media/avatar with text declared image/png -> $MEDIA_STATUS (415 expected)" media_status_is 415

  head -c $((3 * 1024 * 1024 + 17)) /dev/urandom >"$data"
  media_http POST /api/media/files "${auth[@]}" -H 'Content-Type: application/octet-stream' \
    -H 'X-File-Name: smoke%20data.bin' --data-binary "@$data"
  file_by=$(media_header X-Served-By)
  file_id=$(jq -r '.id // empty' <<<"$MEDIA_BODY" 2>/dev/null)
  media_assert "POST /api/media/files (3 MiB) -> $MEDIA_STATUS by $file_by, id $file_id, the SHA-256 of the bytes sent" \
    media_json --arg s "$(media_sha256 "$data")" --argjson n "$(stat -c %s "$data")" \
    '.sha256 == $s and .size == $n and .name == "smoke data.bin"'

  media_section "media: the replica that stored the file is SIGKILLed"
  replica=$(sed -n 's|^media-service/media-\([0-9][0-9]*\)$|\1|p' <<<"$file_by")
  media_assert "the upload names its replica ($file_by)" test -n "$replica"
  if [[ -n $replica ]]; then
    killed=$("$root/stack" kill media-service "$replica" 2>&1)
    media_assert "./stack kill media-service $replica: $killed" grep -q 'killed' <<<"$killed"
  fi

  media_section "media: everything is still served, from object storage"
  media_http GET /api/media/files "${auth[@]}"
  media_assert "GET /api/media/files -> $MEDIA_STATUS, lists $file_id" media_json --arg id "$file_id" 'any(.[]; .id == $id)'

  media_redirect "/api/media/avatar/$user_id"
  media_assert "GET /api/media/avatar/$user_id (no session) -> 302 by $(media_header X-Served-By), Cache-Control: $(media_header Cache-Control)" \
    test -n "$MEDIA_LOCATION"
  media_download "$MEDIA_LOCATION" "$MEDIA_WORK/avatar.fetched"
  media_assert "the signed avatar URL -> $MEDIA_STATUS, the same bytes (SHA-256 $(media_sha256 "$png" | cut -c1-12)...)" \
    test "$MEDIA_STATUS" = 200 -a "$(media_sha256 "$MEDIA_WORK/avatar.fetched")" = "$(media_sha256 "$png")"

  media_redirect "/api/media/files/$file_id/content" "${auth[@]}"
  media_assert "GET /api/media/files/$file_id/content -> 302 by $(media_header X-Served-By)" test -n "$MEDIA_LOCATION"
  media_download "$MEDIA_LOCATION" "$MEDIA_WORK/data.fetched"
  media_assert "the signed file URL -> $MEDIA_STATUS, the same bytes (SHA-256 $(media_sha256 "$data" | cut -c1-12)...)" \
    test "$MEDIA_STATUS" = 200 -a "$(media_sha256 "$MEDIA_WORK/data.fetched")" = "$(media_sha256 "$data")"

  media_http DELETE "/api/media/files/$file_id" "${auth[@]}"
  media_assert "DELETE /api/media/files/$file_id -> $MEDIA_STATUS" media_status_is 204
  media_http GET "/api/media/files/$file_id" "${auth[@]}"
  media_assert "GET /api/media/files/$file_id after the delete -> $MEDIA_STATUS (404 expected)" media_status_is 404

  if [[ -n $replica ]]; then
    media_assert "./stack restart media-service $replica" media_quietly "$root/stack" restart media-service "$replica"
  fi
  rm -rf "$MEDIA_WORK"
}
