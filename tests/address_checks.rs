//! Address checks: one test per problem kind, suggestions, and what must pass clean.

use bouncebook::bounce::address::{Problem, check};

fn kinds(address: &str) -> Vec<String> {
    check(address).into_iter().map(|p| p.kind).collect()
}

fn problem(address: &str, kind: &str) -> Problem {
    check(address)
        .into_iter()
        .find(|p| p.kind == kind)
        .unwrap_or_else(|| panic!("{address:?}: no `{kind}` in {:?}", kinds(address)))
}

#[test]
fn well_formed_addresses_have_no_problems() {
    for ok in [
        "john.doe@example.com",
        "o'brien+tag@mail.example.co.uk",
        "\"john smith\"@example.com",
        "\"weird..dots.\"@example.com",
        "admin@[192.0.2.1]",
        "admin@[IPv6:2001:db8::1]",
        "a@b-c.example",
        "x@gmail.com",
        "user@xn--bcher-kva.example",
        "!#$%&'*+-/=?^_`{|}~@example.org",
    ] {
        assert_eq!(check(ok), Vec::<Problem>::new(), "{ok}");
    }
}

#[test]
fn each_problem_kind_is_named() {
    let cases = [
        ("john doe@example.com", "space"),
        ("john..doe@example.com", "double-dot"),
        (".john@example.com", "leading-dot"),
        ("john.@example.com", "trailing-dot"),
        ("john@example..com", "double-dot"),
        ("john@.example.com", "leading-dot"),
        ("john@example.com.", "trailing-dot"),
        ("johnexample.com", "missing-at"),
        ("john@doe@example.com", "several-at"),
        ("john@", "missing-domain"),
        ("@example.com", "missing-local-part"),
        ("john@localhost", "missing-tld"),
        ("john,doe@example.com", "bad-character"),
        ("john@exa_mple.com", "bad-character"),
        ("\u{201C}john\u{201D}@example.com", "smart-quote"),
        ("mailto:john@example.com", "mailto"),
        ("<john@example.com>", "angle-brackets"),
        ("john@-example.com", "label-hyphen"),
        ("john@example-.com", "label-hyphen"),
        ("jöhn@example.com", "non-ascii"),
        ("john@exämple.com", "non-ascii"),
        ("jo\u{200B}hn@example.com", "invisible-character"),
        ("john@exam\u{202E}elp.com", "bidi-control"),
        ("\"john@example.com", "unbalanced-quote"),
        ("john@[300.1.1.1]", "bad-address-literal"),
        ("", "empty"),
        ("   ", "empty"),
    ];
    for (address, kind) in cases {
        let p = problem(address, kind);
        assert!(!p.message.is_empty(), "{address}: empty message");
    }
}

#[test]
fn length_limits_follow_rfc_5321() {
    let local64 = "a".repeat(64);
    assert!(!kinds(&format!("{local64}@example.com")).contains(&"local-part-too-long".to_string()));
    problem(
        &format!("{}@example.com", "a".repeat(65)),
        "local-part-too-long",
    );
    let label = format!("{}.com", "b".repeat(64));
    problem(&format!("x@{label}"), "label-too-long");
    let long_domain = vec!["c".repeat(60); 5].join(".") + ".com";
    problem(&format!("x@{long_domain}"), "domain-too-long");
    // 64 + 1 + 190 = 255 octets: each part is legal, the whole is one too long.
    let domain = vec!["d".repeat(62); 3].join(".") + ".example";
    let address = format!("{local64}@{domain}");
    assert_eq!(address.len(), 64 + 1 + 3 * 62 + 2 + 8);
    problem(&address, "address-too-long");
}

#[test]
fn pasted_wrapping_is_stripped_and_the_clean_address_suggested() {
    let p = problem("mailto:john@example.com?subject=hi", "mailto");
    assert_eq!(p.suggestion.as_deref(), Some("john@example.com"));
    let p = problem(" <john@example.com> ", "angle-brackets");
    assert_eq!(p.suggestion.as_deref(), Some("john@example.com"));
    // Nothing else is wrong with the address inside.
    assert_eq!(kinds("<john@example.com>"), ["angle-brackets"]);
    let p = problem("jo\u{200B}hn@example.com", "invisible-character");
    assert_eq!(p.suggestion.as_deref(), Some("john@example.com"));
}

#[test]
fn popular_domain_typos_get_a_suggestion() {
    for (typo, right) in [
        ("ann@gmial.com", "ann@gmail.com"),
        ("ann@gamil.com", "ann@gmail.com"),
        ("ann@gmail.con", "ann@gmail.com"),
        ("ann@gmai.com", "ann@gmail.com"),
        ("ann@hotmial.com", "ann@hotmail.com"),
        ("ann@yahooo.com", "ann@yahoo.com"),
        ("ann@outlok.com", "ann@outlook.com"),
        ("ann@icloud.co", "ann@icloud.com"),
        ("ann@Gmial.com", "ann@gmail.com"),
        ("ann@shop-example.con", "ann@shop-example.com"),
        ("ann@example.ogr", "ann@example.org"),
    ] {
        let p = problem(typo, "typo");
        assert_eq!(p.suggestion.as_deref(), Some(right), "{typo}");
        assert!(p.message.contains("typo"), "{}", p.message);
    }
    let p = problem("ann@gmail", "missing-tld");
    assert_eq!(p.suggestion.as_deref(), Some("gmail.com"));
}

#[test]
fn no_suggestion_for_the_popular_domain_itself_or_unrelated_domains() {
    for fine in [
        "ann@gmail.com",
        "ann@GMAIL.COM",
        "ann@ymail.com",
        "ann@me.com",
        "ann@mac.com",
        "ann@example.com",
        "ann@gmx.de",
        "ann@shop.example",
        "ann@university.edu",
    ] {
        assert!(
            !kinds(fine).contains(&"typo".to_string()),
            "{fine}: {:?}",
            check(fine)
        );
    }
}

#[test]
fn a_huge_address_is_checked_quickly_and_without_panic() {
    let huge = format!("{}@{}", "a.".repeat(5_000), "b".repeat(10_000));
    let started = std::time::Instant::now();
    let problems = check(&huge);
    assert!(
        started.elapsed().as_millis() < 500,
        "{:?}",
        started.elapsed()
    );
    assert!(problems.iter().any(|p| p.kind == "local-part-too-long"));
    let many_ats = "@".repeat(10_000);
    assert!(kinds(&many_ats).contains(&"several-at".to_string()));
}
