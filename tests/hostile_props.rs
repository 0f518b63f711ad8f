//! Property tests: parse + classify + sanitise never panic, whatever is pasted.
//! Case counts are bounded so the suite stays quick; the long run is the fuzz target.

use bouncebook::bounce;
use bouncebook::classify::Classifier;
use bouncebook::playbook;
use bouncebook::sanitize::for_display;
use proptest::prelude::*;

/// Fragments real bounces are made of, so generated inputs reach deep into the parser.
const FRAGMENTS: &[&str] = &[
    "From: MAILER-DAEMON@mx.example.org\n",
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n",
    "Content-Type: message/delivery-status\n",
    "Content-Type: message/rfc822\n",
    "Content-Transfer-Encoding: base64\n",
    "Content-Transfer-Encoding: quoted-printable\n",
    "--b\n",
    "--b--\n",
    "\n",
    "Final-Recipient: rfc822; a@b.example\n",
    "Action: failed\n",
    "Status: 5.7.1\n",
    "Diagnostic-Code: smtp; 553 5.7.1 Not an open relay\n",
    "  continued folded text\n",
    "SMTP error from remote mail server after RCPT TO:<a@b.example>:\n",
    "553-first line\n553 last line\n",
    "<a@b.example>: host mx.b.example[192.0.2.1] said: 553 5.1.8 Domain of sender address does not exist (in reply to MAIL FROM command)\n",
    "2026-11-29 10:00:00 1abc-000 ** a@b.example R=dnslookup T=remote_smtp H=mx [192.0.2.1]: SMTP error from remote mail server after RCPT TO:<a@b.example>: 553 no mailbox\n",
    "Nov 29 10:00:00 mx postfix/smtp[1]: ABC123: to=<a@b.example>, relay=mx[192.0.2.1]:25, dsn=5.1.1, status=bounced (host said: 553 x)\n",
    "Remote host said: 553 sorry, no mailbox here by that name. (#5.1.1)\n",
    "Remote Server returned '550 5.1.351 -> 553 5.7.1 relay'\n",
    ">>> RCPT To:<a@b.example>\n<<< 553 5.1.3 User address required\n",
    "=E2=80=8B=\n",
    "\u{1b}]52;c;AAAA\u{07}",
    "\u{202e}",
    "=?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=\n",
];

fn classifier() -> &'static Classifier {
    static C: std::sync::OnceLock<Classifier> = std::sync::OnceLock::new();
    C.get_or_init(|| Classifier::new(&playbook::embedded()))
}

fn check(input: &[u8]) {
    if let Ok(b) = bounce::parse(input) {
        for r in &b.records {
            let d = classifier().classify(r);
            assert!((0.0..=1.0).contains(&d.confidence));
            if let Some(diag) = &r.diagnostic {
                assert!(!for_display(diag).contains('\u{1b}'));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(input in proptest::collection::vec(any::<u8>(), 0..4096)) {
        check(&input);
    }

    #[test]
    fn arbitrary_text_never_panics(input in "\\PC{0,2000}") {
        check(input.as_bytes());
        let _ = for_display(&input);
        let _ = bounce::address::check(&input);
    }

    #[test]
    fn bounce_shaped_text_never_panics(picks in proptest::collection::vec(0..FRAGMENTS.len(), 0..60)) {
        let text: String = picks.iter().map(|&i| FRAGMENTS[i]).collect();
        check(text.as_bytes());
    }
}
