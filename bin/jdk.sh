# shellcheck shell=bash
# Sourced by wirespeed's scripts: exports JAVA_HOME pointing at a JDK 25 or newer, or exits with a
# message saying how to get one. Honours a JAVA_HOME that already points at JDK >= 25.

wirespeed_java_major() {
    # Prints the feature version of the JDK at $1 (e.g. 25), or nothing if there is none.
    local release="$1/release"
    [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
    if [ -r "$release" ]; then
        sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
    fi
}

wirespeed_find_jdk() {
    local candidate major
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
        [ -n "$candidate" ] && [ -d "$candidate" ] || continue
        major=$(wirespeed_java_major "$candidate")
        if [ -n "$major" ] && [ "$major" -ge 25 ]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if ! WIRESPEED_JDK=$(wirespeed_find_jdk); then
    echo "wirespeed needs a JDK 25 or newer (javac included)." >&2
    echo "  JAVA_HOME=${JAVA_HOME:-<unset>} is not one, and none was found under /usr/lib/jvm." >&2
    echo "  Install one (e.g. Temurin 25: https://adoptium.net) and set JAVA_HOME to it." >&2
    exit 1
fi
export JAVA_HOME="$WIRESPEED_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
