#!/usr/bin/env bash
# Prints a JDK home of version 21 or newer: $JAVA_HOME when it qualifies, else the newest found
# in the usual JVM directories. Exits non-zero with a hint when there is none.
java_major() {
  "$1/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'
}
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
  echo "$JAVA_HOME"; exit 0
fi
best=""; best_major=0
for dir in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home /opt/java/*; do
  [ -x "$dir/bin/javac" ] || continue
  major=$(java_major "$dir")
  if [ -n "$major" ] && [ "$major" -gt "$best_major" ]; then best="$dir"; best_major=$major; fi
done
if [ "$best_major" -ge 21 ]; then echo "$best"; exit 0; fi
echo "No JDK 21 or newer found: install one (JDK 25 recommended) and set JAVA_HOME to it." >&2
exit 1
