#!/usr/bin/env bash
# Mutation testing of one stage of the build: cargo-mutants plants one small bug at a time in the
# stage's code (a condition flipped, a result replaced) and runs the tests that exercise the
# stage; a bug no test notices is a gap in the suite. Each mutant is a rebuild, so this runs
# outside CI, one stage at a time (on 2 cores about 13 s for a mutant the tests catch, up to a
# minute for one they miss):
#
#   cargo install cargo-mutants cargo-nextest
#   tools/mutants.sh validate            # or markdown, model, write, pipeline, outputs
#   tools/mutants.sh validate --iterate  # afterwards: retest only what was missed last time
#
# Extra arguments go to cargo-mutants (`--in-place` reuses this checkout's target folder instead
# of building a copy from cold; only use it on a checkout you are not editing). Results are in
# target/mutants/STAGE/mutants.out/ (caught.txt, missed.txt, timeout.txt, unviable.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

stage=${1:?usage: tools/mutants.sh validate|markdown|model|write|pipeline|outputs [cargo-mutants options]}
shift

# The unit tests of the stage (their names start with its module path) and the integration
# modules that drive it through the real binary. The browser corpus test is left out: it takes
# minutes and only checks what the sanitizer's own tests check.
case $stage in
validate) tests="validate:: errors:: messages:: bad_input:: refusals:: build:: load:: editor::" ;;
model) tests="model:: build:: publishing:: url_space:: errors:: languages::" ;;
write) tests="write:: security::output:: build:: refusals:: bad_input:: deploy:: serve::" ;;
markdown) tests="markdown:: build:: security::body:: publishing:: languages:: photos:: redirects::" ;;
pipeline) tests="pipeline:: build:: equivalence:: serve:: errors:: takedowns:: redirects:: photos:: search:: editor:: refusals:: security::output:: security::preview:: url_space:: model:: bad_input::" ;;
outputs) tests="outputs:: publishing:: search:: redirects:: build:: takedowns:: url_space:: serve:: equivalence::" ;;
*) echo "unknown stage '$stage'" >&2; exit 2 ;;
esac

# No test reads debug info, and without it each mutant links faster.
export CARGO_PROFILE_DEV_DEBUG=0
# The random preview-equals-build walk takes 30 steps per seed here (CI takes 100): a mutant
# nothing catches costs the whole walk, and the preview's own tests name its cases directly.
export GAZETTE_EQUIVALENCE_STEPS=${GAZETTE_EQUIVALENCE_STEPS:-30}
mkdir -p "target/mutants/$stage"
# nextest stops at the first failing test, so a caught mutant costs seconds, not the whole set.
# shellcheck disable=SC2086 # the test names are meant to split
exec cargo mutants --file "src/$stage/*.rs" --file "src/$stage/**/*.rs" \
    --output "target/mutants/$stage" --timeout 180 --build-timeout 600 --test-tool nextest "$@" \
    -- --profile mutants --lib --test integration --max-fail 1:immediate \
    -- $tests --skip security::body::hostile_articles_run_no_script
