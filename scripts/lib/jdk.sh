# Sourced by ./mvnw, ./stack and .ci/run: the build needs JDK 21+, the
# machine's default java may be older, so pick the newest suitable JDK.
java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME")" -lt 21 ] 2>/dev/null; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-2[1-9]* /usr/lib/jvm/java-2[1-9]-openjdk* /usr/lib/jvm/*; do
    [ -x "$candidate/bin/java" ] || continue
    if [ "$(java_major "$candidate")" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      break
    fi
  done
fi
if [ -z "${JAVA_HOME:-}" ] || ! [ "$(java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
  echo "No JDK 21+ found under /usr/lib/jvm; install one (e.g. Temurin 25) or set JAVA_HOME." >&2
  exit 1
fi
export PATH="$JAVA_HOME/bin:$PATH"
