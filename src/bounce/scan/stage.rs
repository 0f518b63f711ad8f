//! The SMTP stage a reply answered, from the phrases MTAs write around it (`in reply to
//! RCPT TO command`, Exim's `after RCPT TO:`, `Sender address rejected`).

use std::sync::LazyLock;

use regex::Regex;

use crate::bounce::model::Stage;
use crate::bounce::pattern::re;
use crate::bounce::vocabulary;

/// Phrases naming the SMTP command a reply answered, matched against lowercased text:
/// plain literals search much faster than case-insensitive ones. In order: a lead-in
/// (vocabulary `[stage-leads]`) and the command (group 1); the command and a verdict
/// (group 2); then the fixed phrases that imply or name a stage (vocabulary
/// `[stage-phrases-mail-from]`, `[stage-phrases-rcpt-to]`, `[stage-phrases-connect]`,
/// groups 3 to 5).
static STAGE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?-u)(?:{})\s+(?:the\s+)?(end of data|end of message|mail from|mail-from|rcpt to|rcpt-to|rcpt|data|ehlo|helo|lhlo|initial connection|connection greeting|greeting|banner)\b|\b(mail from|rcpt to|data|rcpt|ehlo|helo|lhlo)\s+(?:command\s+(?:failed|rejected|error)|response|command|failed|rejected)|({})|({})|({})",
        vocabulary::alternation("stage-leads"),
        vocabulary::alternation("stage-phrases-mail-from"),
        vocabulary::alternation("stage-phrases-rcpt-to"),
        vocabulary::alternation("stage-phrases-connect"),
    ))
});

/// The stage a [`STAGE`] match names, read from its (lowercased) text, and whether it names
/// the command (groups 1 and 2) rather than implies it (3 and 4).
///
/// A fixed phrase matches as itself, so it is found among its section's entries; the two
/// other alternatives start with words none of the others starts with (a lead-in, a command
/// word), so a match's first word tells which one matched. The capture pass that would say
/// the same costs a backtracking search per match. The command word of the first
/// alternative ends the match (`\b` takes no bytes); that of the second starts it.
fn stage_of_match(m: &str) -> (Stage, bool) {
    let phrase_of = |section: &str| vocabulary::words(section).contains(&m);
    if phrase_of("stage-phrases-mail-from") {
        return (Stage::MailFrom, false);
    }
    if phrase_of("stage-phrases-rcpt-to") {
        return (Stage::RcptTo, false);
    }
    // Postfix: `host X[ip] refused to talk to me: 554 ...`, the server's greeting.
    if phrase_of("stage-phrases-connect") {
        return (Stage::Connect, true);
    }
    let helo = |w: &str| w.ends_with("ehlo") || w.ends_with("helo") || w.ends_with("lhlo");
    let leads = vocabulary::words("stage-leads");
    let stage = if leads.iter().any(|l| m.starts_with(l)) {
        if helo(m) {
            Stage::Helo
        } else if m.ends_with("connection") || m.ends_with("greeting") || m.ends_with("banner") {
            Stage::Connect
        } else if m.ends_with("from") {
            Stage::MailFrom
        } else if m.ends_with("rcpt") || m.ends_with("rcpt to") || m.ends_with("rcpt-to") {
            Stage::RcptTo
        } else {
            Stage::Data
        }
    } else if m.starts_with("ehlo") || m.starts_with("helo") || m.starts_with("lhlo") {
        Stage::Helo
    } else if m.starts_with("mail") {
        Stage::MailFrom
    } else if m.starts_with("rcpt") {
        Stage::RcptTo
    } else {
        Stage::Data
    };
    (stage, true)
}

/// Which SMTP command the text says the refusal answered. A phrase naming the command
/// (`in reply to RCPT TO command`) outranks one that only implies it (`Sender address
/// rejected`).
pub fn find_stage(text: &str) -> Option<Stage> {
    // Most text holds no stage word at all: rule that out before the regex pass.
    if !mentions_stage_word(text) {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let mut implied = None;
    for m in STAGE.find_iter(&lower) {
        let (stage, named) = stage_of_match(m.as_str());
        if named {
            return Some(stage);
        }
        implied = implied.or(Some(stage));
    }
    implied
}

/// Whether `text` holds `mail`, `rcpt`, `data`, `send`(er), (re)`cipi`(ent), `end `
/// (`after end of message`), `ehlo`/`helo`/`lhlo`, `conn`(ection), `gree`(ting), `bann`(er) or
/// (refused to) `talk` in any case: every stage phrase does.
fn mentions_stage_word(text: &str) -> bool {
    // Four bytes compared as one word, each folded with `| 0x20`: for a target made of
    // lowercase letters only, a byte folds onto a target letter exactly when it is that
    // letter in either case, so this is the case-insensitive test without a copy. (A space
    // folds onto itself, and so does a NUL byte: a false hit only costs the regex search.)
    const fn word(w: &[u8; 4]) -> u32 {
        u32::from_le_bytes(*w)
    }
    const WORDS: [u32; 13] = [
        word(b"mail"),
        word(b"rcpt"),
        word(b"data"),
        word(b"send"),
        word(b"cipi"),
        word(b"end "),
        word(b"ehlo"),
        word(b"helo"),
        word(b"lhlo"),
        word(b"conn"),
        word(b"gree"),
        word(b"talk"),
        word(b"bann"),
    ];
    text.as_bytes().windows(4).any(|w| {
        let folded = u32::from_le_bytes([w[0], w[1], w[2], w[3]]) | 0x2020_2020;
        WORDS.contains(&folded)
    })
}

/// The stage for a response found in a larger text: a phrase inside the response itself
/// (`(in reply to RCPT TO command)`) wins; else the last one before it (`after RCPT TO:`,
/// or the last `>>> RCPT To:` of a transcript, not an earlier `>>> MAIL From:`).
pub fn find_stage_around(before: &str, response: &str) -> Option<Stage> {
    if let Some(s) = find_stage(response) {
        return Some(s);
    }
    if !mentions_stage_word(before) {
        return None;
    }
    STAGE
        .find_iter(&before.to_ascii_lowercase())
        .last()
        .map(|m| stage_of_match(m.as_str()).0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_word_check_folds_case_only() {
        for yes in ["MAIL FROM", "Rcpt", "end of DaTa", "SENDER", "recipient"] {
            assert!(mentions_stage_word(yes), "{yes}");
        }
        // Bytes one bit (not the case bit) away from a letter, or folding onto a non-letter.
        for no in ["", "mai", "m@il", "MA\u{9}L", "rcp4", "dat!", "SEN\u{4}"] {
            assert!(!mentions_stage_word(no), "{no:?}");
        }
    }

    /// Deterministic numbers for generated inputs (see `bounce::test_rng`).
    fn numbers(seed: u64) -> impl FnMut() -> usize {
        let mut rng = crate::bounce::test_rng::Rng::new(seed);
        move || rng.below(usize::MAX)
    }

    /// The stage as read from the capture groups, before `stage_of_match`.
    fn stage_of_captures(caps: &regex::Captures<'_>) -> (Stage, bool) {
        if caps.get(3).is_some() {
            return (Stage::MailFrom, false);
        }
        if caps.get(4).is_some() {
            return (Stage::RcptTo, false);
        }
        if caps.get(5).is_some() {
            return (Stage::Connect, true);
        }
        let word = caps
            .get(1)
            .or_else(|| caps.get(2))
            .map_or("", |m| m.as_str());
        let stage = match word {
            "mail from" | "mail-from" => Stage::MailFrom,
            "rcpt to" | "rcpt-to" | "rcpt" => Stage::RcptTo,
            "ehlo" | "helo" | "lhlo" => Stage::Helo,
            "initial connection" | "connection greeting" | "greeting" | "banner" => Stage::Connect,
            _ => Stage::Data,
        };
        (stage, true)
    }

    /// The commands STAGE names after a lead-in (`in reply to`, `after`, ...).
    const STAGE_COMMANDS: [&str; 15] = [
        "end of data",
        "end of message",
        "mail from",
        "mail-from",
        "rcpt to",
        "rcpt-to",
        "rcpt",
        "data",
        "ehlo",
        "helo",
        "lhlo",
        "initial connection",
        "connection greeting",
        "greeting",
        "banner",
    ];

    /// Every match's stage read from its text equals the one its capture groups give, on
    /// texts built from the pattern's pieces.
    /// The greeting and EHLO/HELO are stages too, as Exim, Postfix and a client word them.
    #[test]
    fn connection_and_helo_stages() {
        let cases = [
            (
                "SMTP error from remote mail server after initial connection: 554 5.7.1 go away",
                Stage::Connect,
            ),
            (
                "host mx.far.example[192.0.2.1] refused to talk to me: 554 5.7.1 blocked",
                Stage::Connect,
            ),
            (
                "host mx.far.example[192.0.2.1] said: 550 5.7.1 bad HELO (in reply to EHLO command)",
                Stage::Helo,
            ),
            (
                "SMTP error from remote mail server after EHLO web01.example: 501 5.5.4 invalid",
                Stage::Helo,
            ),
            (
                "SMTP ERROR: EHLO command failed: 550 not allowed",
                Stage::Helo,
            ),
        ];
        for (text, want) in cases {
            assert_eq!(find_stage(text), Some(want), "{text}");
        }
    }

    #[test]
    fn stage_of_match_agrees_with_captures() {
        let leads = [
            "in reply to",
            "after",
            "during",
            ">>>",
            "responding to",
            "the",
        ];
        let others = [
            "command",
            "failed",
            "rejected",
            "error",
            "response",
            "sender",
            "was",
            "address",
            "does not like recipient",
            "recipient address rejected",
            "refused to talk to me",
            "connection",
            "x",
            ":",
            "  ",
            "\t",
            "datax",
            "rcpts",
            "from",
            "end",
            "of",
        ];
        let pieces: Vec<&str> = leads
            .into_iter()
            .chain(STAGE_COMMANDS)
            .chain(others)
            .collect();
        let mut next = numbers(0x2545_f491_4f6c_dd1d);
        for _ in 0..100_000 {
            let n = 1 + next() % 8;
            let text = (0..n)
                .map(|_| pieces[next() % pieces.len()])
                .collect::<Vec<_>>()
                .join(if next().is_multiple_of(4) { "" } else { " " });
            let by_text: Vec<_> = STAGE
                .find_iter(&text)
                .map(|m| stage_of_match(m.as_str()))
                .collect();
            let by_captures: Vec<_> = STAGE
                .captures_iter(&text)
                .map(|c| stage_of_captures(&c))
                .collect();
            assert_eq!(by_text, by_captures, "{text:?}");
        }
    }

    #[test]
    fn stage_words() {
        assert_eq!(
            find_stage("(in reply to MAIL FROM command)"),
            Some(Stage::MailFrom)
        );
        assert_eq!(
            find_stage("after RCPT TO:<a@b.example>"),
            Some(Stage::RcptTo)
        );
        assert_eq!(
            find_stage("in reply to end of DATA command"),
            Some(Stage::Data)
        );
        assert_eq!(
            find_stage("SMTP ERROR: MAIL FROM command failed: 553"),
            Some(Stage::MailFrom)
        );
        // No command word at all: the stage pre-check must still let it through.
        assert_eq!(
            find_stage("550 rejected after End Of Message"),
            Some(Stage::Data)
        );
    }

    /// Every phrase the stage pattern can match passes the cheap word check first: the
    /// check is only worth having if it is a necessary condition.
    #[test]
    fn stage_word_check_passes_every_stage_phrase() {
        for lead in vocabulary::words("stage-leads") {
            for the in ["", "the "] {
                for command in STAGE_COMMANDS {
                    let phrase = format!("{lead} {the}{command}").to_ascii_uppercase();
                    assert!(STAGE.is_match(&phrase.to_ascii_lowercase()), "{phrase}");
                    assert!(mentions_stage_word(&phrase), "{phrase}");
                }
            }
        }
        for phrase in ["MAIL FROM response", "EHLO command failed"] {
            assert!(mentions_stage_word(phrase), "{phrase}");
        }
        // The vocabulary's fixed phrases: a new one without any of the check's words needs
        // its word added to `mentions_stage_word`.
        for section in [
            "stage-phrases-mail-from",
            "stage-phrases-rcpt-to",
            "stage-phrases-connect",
        ] {
            for phrase in vocabulary::words(section) {
                assert!(STAGE.is_match(phrase), "[{section}] {phrase}");
                assert!(
                    mentions_stage_word(&phrase.to_ascii_uppercase()),
                    "[{section}] {phrase}: add one of its words to mentions_stage_word"
                );
                assert_eq!(
                    STAGE.find(phrase).map(|m| m.as_str()),
                    Some(*phrase),
                    "[{section}] {phrase} is read as another alternative"
                );
            }
        }
    }
}
