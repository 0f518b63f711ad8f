//! The facts step on the project's fixtures: who refused, authentication, the reporting
//! system and the sending IP, as `triage --json` prints them.

use bouncebook::bounce::facts::{RefusedBy, ReportingSystem};
use bouncebook::bounce::parse;

fn facts(name: &str) -> bouncebook::bounce::facts::Facts {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bounces")
        .join(name);
    parse(&std::fs::read(path).unwrap()).unwrap().facts
}

#[test]
fn reporting_systems_from_the_reports_own_marks() {
    for (name, want) in [
        ("exim-cpanel.eml", ReportingSystem::Exim),
        ("exim_mainlog.log", ReportingSystem::Exim),
        ("postfix-text-inline-original.eml", ReportingSystem::Postfix),
        ("postfix-maillog.log", ReportingSystem::Postfix),
        ("dsn-postfix-two-recipients.eml", ReportingSystem::Postfix),
        ("qmail-inline-original.eml", ReportingSystem::Qmail),
        ("qmail-webmail-body.txt", ReportingSystem::Qmail),
        ("sendmail-transcript.eml", ReportingSystem::Sendmail),
        ("sendmail-inline-original.eml", ReportingSystem::Sendmail),
        ("gmail.eml", ReportingSystem::Gmail),
        ("office365-qp-recoded.eml", ReportingSystem::Exchange),
        ("exchange2003-no-code.eml", ReportingSystem::Exchange),
    ] {
        assert_eq!(facts(name).reporting_system, Some(want), "{name}");
    }
    // Not a failure report: no reporting system is claimed.
    assert_eq!(facts("vacation-autoreply.eml").reporting_system, None);
}

#[test]
fn who_refused() {
    for name in [
        "phpmailer-error.txt",
        "openssl-s_client.txt",
        "telnet-multiline.txt",
        "mail-client-dialog.txt",
        "bare-response.txt",
    ] {
        assert_eq!(facts(name).refused_by, Some(RefusedBy::Local), "{name}");
    }
    for name in [
        "exim-cpanel.eml",
        "gmail.eml",
        "qmail-inline-original.eml",
        "postfix-maillog.log",
        "sendmail-v5-protocol-error.eml",
        "office365-qp-recoded.eml",
    ] {
        assert_eq!(facts(name).refused_by, Some(RefusedBy::Remote), "{name}");
    }
}

#[test]
fn authentication_and_sending_ip() {
    let exim = facts("exim-cpanel.eml");
    assert_eq!(exim.authenticated, Some(true));
    assert_eq!(exim.sending_ip, "192.0.2.61".parse().ok());
    let log = facts("exim_mainlog.log");
    // A=dovecot_login on the arrival line; the arrival came from localhost (webmail).
    assert_eq!(log.authenticated, Some(true));
    assert_eq!(log.sending_ip, None);
    for name in [
        "phpmailer-error.txt",
        "openssl-s_client.txt",
        "telnet-multiline.txt",
    ] {
        assert_eq!(facts(name).authenticated, Some(false), "{name}");
    }
    // A bounce that shows nothing of the session says nothing.
    assert_eq!(facts("gmail.eml").authenticated, None);
    assert_eq!(facts("mail-client-dialog.txt").authenticated, None);
}

/// Gmail's "The response from the remote server was:" in its interface's other languages
/// puts the reply on the recipient's server, as the English sentence does.
#[test]
fn gmail_s_remote_reply_in_other_languages() {
    for (lead, words) in [
        (
            "La respuesta del servidor remoto ha sido:",
            "Tu mensaje no se ha entregado a bob@far.example porque no se ha encontrado la dirección.",
        ),
        (
            "A resposta do servidor remoto foi:",
            "Sua mensagem para bob@far.example foi bloqueada pelo servidor do destinatário.",
        ),
        (
            "Ответ удаленного сервера:",
            "Ваше сообщение не доставлено на адрес bob@far.example.",
        ),
    ] {
        let text = format!(
            "Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n\n{words}\n\n{lead}\n\n550 5.1.1 <bob@far.example>: Recipient address rejected: User unknown\n"
        );
        let f = parse(text.as_bytes()).unwrap().facts;
        assert_eq!(f.refused_by, Some(RefusedBy::Remote), "{lead}");
    }
}

/// A refusal naming the login (`not owned by user LOGIN`): Gmail's "Send mail as" logged in
/// to the customer's own server, which refused (our server, and the customer logged in),
/// though Gmail calls it "the remote server"; the customer's own client told so logged in
/// too. A remote smarthost naming our relay's login says nothing of the customer's login.
#[test]
fn a_refusal_naming_the_login() {
    let gmail = "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nTo: ann@near.example\nSubject: Delivery Status Notification (Failure)\n\n** Message not delivered **\n\nThere was a problem delivering your message to bob@far.example.\n\nThe response from the remote server was:\n553 5.7.1 <info@near.example>: Sender address rejected: not owned by user ann@near.example\n";
    let f = parse(gmail.as_bytes()).unwrap().facts;
    assert_eq!(f.reporting_system, Some(ReportingSystem::Gmail));
    assert_eq!(f.refused_by, Some(RefusedBy::Local));
    assert_eq!(f.authenticated, Some(true));
    // The same reply in the customer's client's error dialog.
    let dialog = "Sending of the message failed.\nThe mail server responded: 553 5.7.1 <info@near.example>: Sender address rejected: not owned by user ann@near.example. Please check the message and try again.\n";
    let f = parse(dialog.as_bytes()).unwrap().facts;
    assert_eq!(f.refused_by, Some(RefusedBy::Local));
    assert_eq!(f.authenticated, Some(true));
    // Our Exim relayed through a smarthost that refused its own login's sender.
    let relay = "From: Mail Delivery System <Mailer-Daemon@web04.near.example>\nTo: info@near.example\nSubject: Mail delivery failed: returning message to sender\n\nThis message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  bob@far.example\n    host smtp.relay.example [192.0.2.25]\n    SMTP error from remote mail server after MAIL FROM:<info@near.example>:\n    553 5.7.1 <info@near.example>: Sender address rejected: not owned by user web04@relay.example\n";
    let f = parse(relay.as_bytes()).unwrap().facts;
    assert_eq!(f.refused_by, Some(RefusedBy::Remote));
    assert_ne!(f.authenticated, Some(true));
}
