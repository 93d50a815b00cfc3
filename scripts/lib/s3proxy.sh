# S3-compatible object storage for the local stack: S3Proxy on the filesystem
# store (its release jar, fetched once by s3proxy_fetch). Sourced by ./stack; needs JAVA_HOME.

S3PROXY_VERSION=4.1.0
S3_ACCESS_KEY=stack-access-key
S3_SECRET_KEY=stack-secret-key
S3_DATA=$STACK_DIR/s3
S3_LOG=$LOG_DIR/s3.log
S3PROXY_JAR=${STACK_MAVEN_REPO:-$HOME/.m2/repository}/org/gaul/s3proxy/$S3PROXY_VERSION/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar

s3proxy_fetch() {
  [[ -f $S3PROXY_JAR ]] && return 0
  step "fetching S3Proxy $S3PROXY_VERSION into the local Maven repository"
  (cd "$STACK_REPO" && ./mvnw -N -q -B org.apache.maven.plugins:maven-dependency-plugin:3.6.1:get \
    -Dartifact=org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies) ||
    die "could not fetch org.gaul:s3proxy:$S3PROXY_VERSION (jar-with-dependencies)"
  [[ -f $S3PROXY_JAR ]] || die "S3Proxy fetched but not found at $S3PROXY_JAR (set STACK_MAVEN_REPO to your local repository)"
}

s3proxy_configure() {
  mkdir -p "$S3_DATA/data"
  cat >"$S3_DATA/s3proxy.conf" <<EOF
# written by ./stack
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
s3proxy.cors-allow-origins=http://127.0.0.1:$STACK_PORT http://localhost:$STACK_PORT
s3proxy.cors-allow-methods=GET HEAD PUT POST
s3proxy.cors-allow-headers=*
s3proxy.cors-exposed-headers=ETag
jclouds.provider=filesystem
jclouds.identity=$S3_ACCESS_KEY
jclouds.credential=$S3_SECRET_KEY
jclouds.filesystem.basedir=$S3_DATA/data
EOF
}

s3_start() {
  if pid_of s3 >/dev/null; then say "s3 already running (port $S3_PORT)"; return 0; fi
  s3proxy_fetch
  s3proxy_configure
  launch s3 "$S3_LOG" "$JAVA_HOME/bin/java" -Xmx256m -jar "$S3PROXY_JAR" --properties "$S3_DATA/s3proxy.conf"
}

s3_wait() { wait_ready "s3 (port $S3_PORT)" s3 "$S3_LOG" http_answers "http://127.0.0.1:$S3_PORT/"; }

s3_stop() { stop_process s3 15; }
