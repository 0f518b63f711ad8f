//! Parse + classify + sanitise + summarise any bytes: none of it may panic, hang or blow up.
#![no_main]

use std::sync::OnceLock;

use bouncebook::bounce;
use bouncebook::classify::Classifier;
use bouncebook::playbook;
use bouncebook::sanitize::for_display;
use libfuzzer_sys::fuzz_target;

fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(|| Classifier::new(&playbook::embedded()))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = for_display(&text);
    let _ = bouncebook::redact::redact(&text);
    if let Ok(b) = bounce::parse(data) {
        for r in &b.records {
            let d = classifier().classify(r);
            assert!((0.0..=1.0).contains(&d.confidence));
            if let Some(addr) = &r.recipient {
                let _ = bounce::address::check(addr);
            }
        }
    }
});
