# shellcheck shell=bash
# Shared by the sample launchers: finds JDK 25, builds the samples jar when it is missing or older
# than any source, and runs the given main class with the given arguments.
set -euo pipefail
WIRESPEED_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$WIRESPEED_ROOT/bin/jdk.sh"
JAR="$WIRESPEED_ROOT/samples/target/wirespeed-samples.jar"

if [ ! -f "$JAR" ] || [ -n "$(find "$WIRESPEED_ROOT"/pmd-core "$WIRESPEED_ROOT"/pmd-ixgbe-vf "$WIRESPEED_ROOT"/emulator \
        "$WIRESPEED_ROOT"/samples -path '*/src/main/*' -newer "$JAR" -print -quit 2>/dev/null)" ]; then
    echo "wirespeed: building the samples (once; ./mvnw -pl samples -am package)..." >&2
    (cd "$WIRESPEED_ROOT" && ./mvnw -q -B -ntp -pl samples -am -DskipTests package) >&2
fi

wirespeed_run() {
    local main="$1"
    shift
    exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${WIRESPEED_JAVA_OPTS:-} -cp "$JAR" "$main" "$@"
}
