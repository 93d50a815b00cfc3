#!/usr/bin/env bash
# Smoke journey of media-service through the load balancer, for the stack smoke test:
#
#   . scripts/smoke/media-journey.sh && journey_media
#
# Self-contained: it uses only BASE (the entry point, e.g. http://127.0.0.1:28080; B is
# accepted too), ROOT (the repository root; REPO is accepted too) and the global counters
# PASSED and FAILED, which it increments; its helpers are scripts/smoke/lib.sh. Needs curl,
# jq and sha256sum.
#
# The journey: a user registers and logs in, uploads a PNG avatar and a 3 MiB file; the
# media-service replica that stored the file is SIGKILLed; the avatar redirect (no session)
# and the file's content redirect still answer through the load balancer, and the bytes
# fetched from the signed URLs have the SHA-256 of what was uploaded: nothing lived on the
# killed replica. A text file sent as image/png is refused (415). The replica is restarted.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

media_sha256() { sha256sum "$1" | cut -d' ' -f1; }

# media_redirect PATH [CURL ARGS...]: GET through the load balancer until it answers 302 (a request that
# met the killed replica is retried, as a client would); sets MEDIA_LOCATION.
media_redirect() {
  local path=$1 attempt
  shift
  MEDIA_LOCATION=
  for attempt in 1 2 3 4 5; do
    http GET "$path" "$@"
    if status_is 302; then
      MEDIA_LOCATION=$(header Location)
      return 0
    fi
    printf '        GET %s attempt %d: %s %s\n' "$path" "$attempt" "$STATUS" "${BODY:0:200}"
    sleep 1
  done
  return 1
}

# media_download URL FILE: a plain GET of a signed object-storage URL, no session; sets STATUS.
media_download() {
  STATUS=$(curl -s -m 60 -o "$2" -D "$WORK/download-headers" -w '%{http_code}' "$1")
}

journey_media() {
  local B=${BASE:-${B:-http://127.0.0.1:28080}}
  local root=${ROOT:-${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}}
  # uploads of 3 MiB take their time; a body is read as text, at most its first 4000 bytes
  local HTTP_TIMEOUT=60 BODY_BYTES=4000
  local WORK STATUS BODY TOKEN USER_ID MEDIA_LOCATION
  WORK=$(mktemp -d /tmp/media-journey.XXXXXX)
  local email="media-smoke-$RANDOM$RANDOM@example.com" password="media-smoke-$RANDOM-$RANDOM"
  local token user_id file_id avatar_by file_by replica killed png=$WORK/avatar.png data=$WORK/data.bin

  section "media: a user registers and logs in"
  sign_up "$email" "$password" "Media Smoke"
  token=$TOKEN user_id=$USER_ID
  local auth=(-H "Authorization: Bearer $token")

  section "media: an avatar and a file go to object storage"
  # A 1x1 PNG.
  base64 -d >"$png" <<<'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=='
  http PUT /api/media/avatar "${auth[@]}" -H 'Content-Type: image/png' --data-binary "@$png"
  avatar_by=$(header X-Served-By)
  check "PUT /api/media/avatar -> $STATUS by $avatar_by, url $(jq -r '.url // empty' <<<"$BODY" 2>/dev/null)" \
    json_is --arg u "/api/media/avatar/$user_id" '.url == $u'
  printf 'not a picture at all\n' >"$WORK/fake.png"
  http PUT /api/media/avatar "${auth[@]}" -H 'Content-Type: image/png' --data-binary "@$WORK/fake.png"
  check "PUT /api/media/avatar with text declared image/png -> $STATUS (415 expected)" status_is 415

  head -c $((3 * 1024 * 1024 + 17)) /dev/urandom >"$data"
  http POST /api/media/files "${auth[@]}" -H 'Content-Type: application/octet-stream' \
    -H 'X-File-Name: smoke%20data.bin' --data-binary "@$data"
  file_by=$(header X-Served-By)
  file_id=$(jq -r '.id // empty' <<<"$BODY" 2>/dev/null)
  check "POST /api/media/files (3 MiB) -> $STATUS by $file_by, id $file_id, the SHA-256 of the bytes sent" \
    json_is --arg s "$(media_sha256 "$data")" --argjson n "$(stat -c %s "$data")" \
    '.sha256 == $s and .size == $n and .name == "smoke data.bin"'

  section "media: the replica that stored the file is SIGKILLed"
  replica=$(sed -n 's|^media-service/media-\([0-9][0-9]*\)$|\1|p' <<<"$file_by")
  check "the upload names its replica ($file_by)" test -n "$replica"
  if [[ -n $replica ]]; then
    killed=$("$root/stack" kill media-service "$replica" 2>&1)
    check "./stack kill media-service $replica: $killed" grep -q 'killed' <<<"$killed"
  fi

  section "media: everything is still served, from object storage"
  http GET /api/media/files "${auth[@]}"
  check "GET /api/media/files -> $STATUS, lists $file_id" json_is --arg id "$file_id" 'any(.[]; .id == $id)'

  media_redirect "/api/media/avatar/$user_id"
  check "GET /api/media/avatar/$user_id (no session) -> 302 by $(header X-Served-By), Cache-Control: $(header Cache-Control)" \
    test -n "$MEDIA_LOCATION"
  media_download "$MEDIA_LOCATION" "$WORK/avatar.fetched"
  check "the signed avatar URL -> $STATUS, the same bytes (SHA-256 $(media_sha256 "$png" | cut -c1-12)...)" \
    test "$STATUS" = 200 -a "$(media_sha256 "$WORK/avatar.fetched")" = "$(media_sha256 "$png")"

  media_redirect "/api/media/files/$file_id/content" "${auth[@]}"
  check "GET /api/media/files/$file_id/content -> 302 by $(header X-Served-By)" test -n "$MEDIA_LOCATION"
  media_download "$MEDIA_LOCATION" "$WORK/data.fetched"
  check "the signed file URL -> $STATUS, the same bytes (SHA-256 $(media_sha256 "$data" | cut -c1-12)...)" \
    test "$STATUS" = 200 -a "$(media_sha256 "$WORK/data.fetched")" = "$(media_sha256 "$data")"

  http DELETE "/api/media/files/$file_id" "${auth[@]}"
  check "DELETE /api/media/files/$file_id -> $STATUS" status_is 204
  http GET "/api/media/files/$file_id" "${auth[@]}"
  check "GET /api/media/files/$file_id after the delete -> $STATUS (404 expected)" status_is 404

  if [[ -n $replica ]]; then
    check "./stack restart media-service $replica" quietly "$root/stack" restart media-service "$replica"
  fi
  rm -rf "$WORK"
}
