# Sourced by the tools' launch scripts: sets JAVA to a java of release 25 or later, the release
# Lambda's java25 runtime runs (so the local stack runs the functions on the JDK they deploy on).
# Looks at JAVA_HOME, then `java` on PATH, then the usual install folders; stops, saying what to
# install, when there is none.
java_release() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1
}
find_java25() {
  local candidate release
  for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java || true)" \
      /usr/lib/jvm/*/bin/java "$HOME"/.sdkman/candidates/java/*/bin/java "$HOME"/.jdks/*/bin/java \
      /Library/Java/JavaVirtualMachines/*/Contents/Home/bin/java; do
    [[ -n "$candidate" && -x "$candidate" ]] || continue
    release="$(java_release "$candidate")"
    if [[ "$release" =~ ^[0-9]+$ ]] && (( release >= 25 )); then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
if ! JAVA="$(find_java25)"; then
  echo "Meridian needs a JDK 25 (Lambda's java25 runtime): none in JAVA_HOME, on PATH or under /usr/lib/jvm." >&2
  echo "Install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA
