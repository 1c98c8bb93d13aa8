# shellcheck shell=bash
# Shared by the sample launchers: finds JDK 25, builds the samples jar when it is missing or older
# than any main source or pom, and runs the given main class with the given arguments.
#
# Launchers may start at the same time (two l2fwd in two terminals on a fresh clone): the build runs
# under an exclusive lock, and whoever gets the lock second finds the jar fresh and does not build
# again. Only main sources are compiled (tests are neither compiled nor run: -Dmaven.test.skip).
set -euo pipefail
WIRESPEED_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$WIRESPEED_ROOT/bin/jdk.sh"
JAR="$WIRESPEED_ROOT/samples/target/wirespeed-samples.jar"

wirespeed_jar_stale() {
    [ ! -f "$JAR" ] && return 0
    local modules=() m
    for m in "$WIRESPEED_ROOT"/*/pom.xml; do
        modules+=("$(dirname "$m")")
    done
    [ -n "$(find "$WIRESPEED_ROOT/pom.xml" "${modules[@]}" -maxdepth 1 -name pom.xml -newer "$JAR" -print -quit 2>/dev/null)" ] ||
        [ -n "$(find "${modules[@]}" -path '*/src/main/*' -newer "$JAR" -print -quit 2>/dev/null)" ]
}

if wirespeed_jar_stale; then
    mkdir -p "$WIRESPEED_ROOT/samples/target"
    exec 9>"$WIRESPEED_ROOT/samples/target/.launcher-build.lock"
    if ! flock -n 9; then
        echo "wirespeed: another launcher is building the samples; waiting for it..." >&2
        flock 9
    fi
    if wirespeed_jar_stale; then
        echo "wirespeed: building the samples (once; ./mvnw -pl samples -am package -Dmaven.test.skip)..." >&2
        (cd "$WIRESPEED_ROOT" && ./mvnw -q -B -ntp -pl samples -am -Dmaven.test.skip=true package) >&2
    fi
    exec 9>&-
fi

wirespeed_run() {
    local main="$1"
    shift
    exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${WIRESPEED_JAVA_OPTS:-} -cp "$JAR" "$main" "$@"
}
