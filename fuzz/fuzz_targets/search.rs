#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| newslens_fuzz::search(data));
