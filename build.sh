#!/usr/bin/env bash
# Widerspruch build and test entry point.
#
#   ./build.sh          build dist/chromium, dist/firefox and their zips (installs missing build tools), and
#                       dist/test-{chromium,firefox} (the services' hosts granted at install, for the tests)
#   ./build.sh store    build, then dist/store/: everything the Chrome Web Store and addons.mozilla.org ask
#                       for (listings in ten languages, justifications, data-use answers, reviewer notes, the
#                       privacy policy, screenshots and promo tile, the zips); dist/store/README.md says
#                       which file goes where
#   ./build.sh test     install what the tests need, build, build the store folder, and run every test
#   ./build.sh demo     the whole journey in Chromium on local replicas (screenshots when headless)
#   ./build.sh bench    the performance benchmark (BENCHMARKS.md)
#
# Everything installed lands in the project (.tools/, node_modules/) except the Debian packages the
# tests need (chromium, chromium-driver, firefox-esr), which come from apt.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
TOOLS=$ROOT/.tools
export PATH="$TOOLS/bin:$ROOT/node_modules/.bin:$PATH"
STEP=""

fail() { echo "build.sh: FAILED at step '$STEP': $*" >&2; exit 1; }
trap 'fail "command exited with status $? (see the output above)"' ERR
# BUILD_TIMES=1 adds a timestamp to each step line (the benchmark times the core build from them).
step() { STEP=$1; echo "==> $1${BUILD_TIMES:+ @$(date +%s.%N)}"; }

need() { command -v "$1" >/dev/null 2>&1 || fail "'$1' is not installed; $2"; }

install_build_tools() {
  step "check the toolchain"
  need cargo "install Rust with rustup (https://rustup.rs)"
  need rustup "install Rust with rustup (https://rustup.rs)"
  need node "install Node.js 20 or newer (Debian: apt-get install nodejs npm)"
  need npm "install npm (Debian: apt-get install npm)"
  need python3 "install Python 3 (used to write reproducible zips)"

  step "rustup target wasm32-unknown-unknown"
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

  step "wasm-bindgen-cli at the Cargo.lock version"
  [ -f Cargo.lock ] || cargo generate-lockfile
  local want have=""
  want=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
  [ -n "$want" ] || fail "no wasm-bindgen in Cargo.lock"
  [ -x "$TOOLS/bin/wasm-bindgen" ] && have=$("$TOOLS/bin/wasm-bindgen" --version | awk '{print $2}')
  if [ "$have" != "$want" ]; then
    # Not --locked: with it a dependency version is missing from the registry (shared/engineering.md).
    cargo install wasm-bindgen-cli --version "$want" --root "$TOOLS" --quiet
  fi

  step "npm packages (binaryen's wasm-opt, never Debian's: its v108 breaks wasm-bindgen output)"
  # By content, not by date: a fresh checkout or a git worktree has a newer lock file with the same packages.
  local lock_sum
  lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ ! -x node_modules/.bin/wasm-opt ] || [ "$(cat node_modules/.widerspruch-lock 2>/dev/null)" != "$lock_sum" ]; then
    npm ci --no-audit --no-fund --loglevel=error
    echo "$lock_sum" > node_modules/.widerspruch-lock
  fi
}

# core DIR: the Rust core as the extension ships it (the WebAssembly and its JS bindings) in DIR. Honours
# CARGO_TARGET_DIR: `./build.sh core DIR` is what the benchmark times from a clean one.
core() {
  local core=$1
  step "compile the Rust core to WebAssembly"
  # The panic locations in the WebAssembly name the crates' sources by absolute path, under Cargo's home:
  # mapped to /cargo, the zip is the same for whoever builds it (addons.mozilla.org's reviewer rebuilds it
  # from the source zip and compares; tools/scan_dist.mjs fails on a home path left in the WebAssembly).
  RUSTFLAGS="--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo${RUSTFLAGS:+ $RUSTFLAGS}" \
    cargo build --release --target wasm32-unknown-unknown --locked

  step "generate the JS bindings (wasm-bindgen)"
  rm -rf "$core" && mkdir -p "$core"
  wasm-bindgen --target no-modules --no-typescript --out-dir "$core" \
    "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/widerspruch.wasm"

  step "shrink the WebAssembly (wasm-opt -Oz)"
  # --converge repeats -Oz while it still shrinks; the strips drop sections the browser never reads.
  # Inlining only small single-caller functions leaves a little more code but compresses much better
  # (measured: about -1.8 KB gzip at +0.6 KB raw); it changes what is inlined, never what the code does.
  node_modules/.bin/wasm-opt -Oz --converge --one-caller-inline-max-function-size=25 --strip-debug --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$core/widerspruch_bg.wasm" -o "$core/widerspruch_bg.wasm"
  step "core built"
}

build() {
  install_build_tools
  local core=target/widerspruch-core
  core "$core"

  for browser in chromium firefox; do
    step "assemble dist/$browser"
    local out=dist/$browser
    rm -rf "$out" && mkdir -p "$out/core" "$out/platform"
    cp -r extension/_locales extension/background extension/content extension/popup "$out/"
    mkdir -p "$out/icons" && cp extension/icons/*.png "$out/icons/"
    cp extension/platform/ext.js "$out/platform/"
    # The privacy policy (PRIVACY.md and doc/privacy/) as pages, linked from the popup's footer.
    node tools/privacy_pages.mjs "$out"
    cp "$core/widerspruch.js" "$core/widerspruch_bg.wasm" "$out/core/"
    node tools/manifest.mjs manifest.json "extension/platform/$browser/manifest.json" > "$out/manifest.json"

    # The same build with the services' hosts granted at install (tools/test_manifest.mjs), for the
    # end-to-end tests only: never zipped, never shipped.
    step "assemble dist/test-$browser (the services' hosts granted at install; tests only)"
    rm -rf "dist/test-$browser" && cp -r "$out" "dist/test-$browser"
    node tools/test_manifest.mjs "$out/manifest.json" > "dist/test-$browser/manifest.json"
  done

  step "zip dist/widerspruch-chromium.zip and dist/widerspruch-firefox.zip"
  python3 tools/zip_reproducible.py dist/chromium dist/widerspruch-chromium.zip
  python3 tools/zip_reproducible.py dist/firefox dist/widerspruch-firefox.zip

  step "zip dist/widerspruch-source.zip (the sources and BUILDING.md, for addons.mozilla.org review)"
  local list; list=$(mktemp)
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files --cached --others --exclude-standard > "$list"
  else
    find . -type f -not -path './.git/*' -not -path './target/*' -not -path './dist/*' \
      -not -path './node_modules/*' -not -path './.tools/*' -not -path './fuzz/target/*' | sed 's|^\./||' > "$list"
  fi
  python3 tools/zip_reproducible.py --list "$list" . dist/widerspruch-source.zip
  rm -f "$list"
  echo "built: dist/chromium dist/firefox dist/widerspruch-{chromium,firefox,source}.zip"
}

# store_folder: dist/store/ from store/ and the build (tools/store.mjs), then the pictures (helper script
# tests/demo/store-pictures.mjs: screenshots per language and the promo tile, from the demo on the replicas).
# Needs a build in dist/. Returns non-zero on the first failure (also where errexit is off, in run_tests).
store_folder() {
  step "store: dist/store (listings, justifications, data use, reviewer notes, privacy policy, zips)"
  node tools/store.mjs || return 1
  if [ -f tests/demo/store-pictures.mjs ]; then
    step "store: screenshots and promo tile (Chromium on the local replicas)"
    node tests/demo/store-pictures.mjs dist/store || return 1
  else
    echo "build.sh: tests/demo/store-pictures.mjs is missing: dist/store has no pictures yet (the store test will fail)" >&2
  fi
}

store() {
  install_test_tools
  build
  store_folder || fail "dist/store could not be written (see the output above)"
  echo "written: dist/store (start with dist/store/README.md)"
}

install_test_tools() {
  step "Debian packages for the browser tests"
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  command -v firefox-esr >/dev/null || missing+=(firefox-esr)
  # Debian's Firefox ships en-US only; the French and Polish scenarios, and the German and Spanish
  # services scenario, need these language packs.
  local pack
  for pack in fr pl de es-es; do
    dpkg -s "firefox-esr-l10n-$pack" >/dev/null 2>&1 || missing+=("firefox-esr-l10n-$pack")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi

  step "geckodriver (cargo install; there is no Debian package)"
  [ -x "$TOOLS/bin/geckodriver" ] || cargo install geckodriver --root "$TOOLS" --quiet
}

run_tests() {
  install_test_tools
  build
  local log; log=$(mktemp -d)
  # Every suite runs even when an earlier one fails; the summary at the end decides.
  trap - ERR
  set +e

  step "cargo test (pure logic, natively)"
  # --no-fail-fast: a failing test target must not hide the ones after it.
  cargo test --locked --no-fail-fast 2>&1 | tee "$log/cargo.txt"

  step "web-ext lint dist/firefox (0 errors, 0 warnings)"
  check lint node tools/lint_firefox.mjs dist/firefox
  check types node_modules/.bin/tsc -p tools/tsconfig.extension.json

  # Before the reproducibility step, which deletes dist/ (the store folder with it).
  check store_build store_folder
  suite store "store folder: limits, ten complete languages, no placeholders, every permission justified, picture sizes, zips, version" \
    tests/store/store.test.mjs

  step "reproducible: a second build from clean gives byte-identical zips"
  (cd dist && sha256sum ./*.zip) > "$log/first.sha256"
  rm -rf target/wasm32-unknown-unknown target/widerspruch-core dist
  build > "$log/rebuild.log" 2>&1 || echo "the rebuild failed: see $log/rebuild.log"
  check reproducible bash -c "cd dist && sha256sum -c '$log/first.sha256'"

  step "static scan of dist: no eval, no HTML from strings, no network, manifests as documented"
  check scan node tools/scan_dist.mjs dist/chromium dist/firefox
  suite static "static scan: its own tests (poisoned copies must fail)" tests/static/scan_dist.test.mjs
  suite android "Firefox for Android 142 and Firefox 140 have every API and manifest key of dist/firefox (@mdn/browser-compat-data; poisoned copies must fail)" tests/static/android_api.test.mjs
  suite replica "replica self-test: the pages, hooks and pre-send texts the scenarios rely on (Chromium, no extension)" \
    tests/replica/replica.test.mjs

  step "fuzz smoke: cargo-fuzz, 20 s per target (RUSTC_BOOTSTRAP on the pinned toolchain)"
  check fuzz tools/fuzz.sh smoke

  # Each browser runs every end-to-end test: the scenarios, the robustness suite and the axe checks
  # (tests/e2e/suite.mjs). The two browsers at the same time: the suites mostly wait on the browsers (a
  # third of a core each, measured), every wait has a deadline of seconds, and only Firefox's server takes
  # port 443. Each suite's output is printed when it ends.
  step "end-to-end in Chromium (Playwright) and Firefox ESR (selenium-webdriver), side by side: scenarios, robustness, accessibility"
  suite chromium "" tests/e2e/chromium.test.mjs > "$log/chromium.out" 2>&1 &
  local chromium_pid=$!
  suite firefox "" tests/e2e/firefox.test.mjs > "$log/firefox.out" 2>&1 &
  local firefox_pid=$!
  local rc
  wait "$chromium_pid"; rc=$?; echo "---- Chromium (exit status $rc)"; cat "$log/chromium.out"
  wait "$firefox_pid"; rc=$?; echo "---- Firefox ESR (exit status $rc)"; cat "$log/firefox.out"
  suite broken "end-to-end: both suites fail on a deliberately broken build (banner never shown, popup throws)" \
    tests/e2e/broken-build.test.mjs

  step "summary"
  python3 tools/summarise.py "$log"
}

# check NAME CMD...: one pass/fail line for the summary.
check() {
  local name=$1; shift
  if "$@"; then echo "$name ok" > "$log/$name.status"; else echo "$name failed" > "$log/$name.status"; fi
}

# suite NAME TITLE FILE: a node:test file, printed as it runs, counted from its TAP output ($log/NAME.tap;
# tools/summarise.py reads the known-gaps table of tests/e2e/README.md for the chromium and firefox suites).
suite() {
  [ -z "$2" ] || step "$2"
  node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$log/$1.tap" "$3"
}

demo() {
  install_test_tools
  build
  step "demo: Chromium on the local replicas (headless without a display: screenshots in doc/screenshots/)"
  node tests/demo/demo.mjs
}

bench() {
  install_test_tools
  build
  step "benchmark (prints figures against baselines measured in the same run; see BENCHMARKS.md)"
  node tests/bench/bench.mjs
}

case "${1:-build}" in
  build) build ;;
  core) core "${2:?usage: ./build.sh core OUT_DIR (the tools must be installed: run ./build.sh once)}" ;;
  store) store ;;
  test) run_tests ;;
  demo) demo ;;
  bench) bench ;;
  *) echo "usage: ./build.sh [build|store|test|demo|bench]" >&2; exit 2 ;;
esac
