#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| feastops::fuzz_entry::flows(data));
