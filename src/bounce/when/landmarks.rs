//! What the date readers look for in a paste: the Date labels of mail clients' views, how
//! far down header lines stand, an RFC 5322 stamp with its zone, and the first line that
//! names a failed recipient (the end of the header lines above a report).

use std::sync::LazyLock;

use regex::Regex;

use crate::bounce::model::Bounce;
use crate::bounce::pattern::re;

/// Labels of the date line in a webmail view's or a forwarded message's header block, in
/// the languages mail clients are used in (lowercased; a French label has a space before
/// its colon, which the reader drops).
pub(super) const DATE_LABELS: &[&str] = &[
    "date",
    "sent",
    "fecha",
    "enviado",
    "enviada",
    "data",
    "datum",
    "gesendet",
    "envoyé",
    "inviato",
    "verzonden",
    "wysłano",
    "дата",
    "отправлено",
    "日付",
    "日期",
    "发送时间",
    "送信日時",
    // Outlook's Sent in the Nordic languages, Finnish, Czech, Hungarian, Turkish; Korean
    // webmail's date.
    "sendt",
    "päivämäärä",
    "skickat",
    "lähetetty",
    "odesláno",
    "elküldve",
    "gönderildi",
    "dato",
    "날짜",
    "보낸 날짜",
    // Greek, Indonesian, Romanian, Hungarian, Ukrainian, Vietnamese and Hebrew views.
    "ημερομηνία",
    "στάλθηκε",
    "απεστάλη",
    "tanggal",
    "terkirim",
    "dată",
    "trimis",
    "dátum",
    "надіслано",
    "ngày",
    "ngày gửi",
    // Arabic, Turkish, Thai, Chinese (`时间`, `時間`) and Japanese (`日時`) views.
    "التاريخ",
    "تاريخ",
    "تاريخ الإرسال",
    "tarih",
    "วันที่",
    "时间",
    "時間",
    "日時",
    "送信日",
    // "Date and time", as a mail plugin's log entry or a panel labels it.
    // Hindi's date and Outlook's Sent in Hindi, and Outlook's Sent in Arabic.
    "दिनांक",
    "तारीख",
    "भेजा गया",
    "تم الإرسال",
    "date and time",
    "data i godzina",
    "datum und uhrzeit",
    "fecha y hora",
    "date et heure",
    "data e ora",
    "data e hora",
    "datum en tijd",
    "תאריך",
    "נשלח",
    // Gmail in Welsh.
    "dyddiad",
];

/// How far down a paste its header lines may stand.
pub(super) const HEADER_SCAN_LINES: usize = 40;

/// An RFC 5322 date-time with its zone, as servers stamp a greeting or a mail list shows a
/// message's date.
pub(super) static ZONED_STAMP: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:(?:mon|tue|wed|thu|fri|sat|sun),?\s+)?\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}:\d{2}\s*(?:[+-]\d{4}|utc|gmt)",
    )
});

/// The index of the first of `lines` that names one of the bounce's failed recipients.
pub(super) fn first_naming_a_recipient(lines: &[&str], bounce: &Bounce) -> Option<usize> {
    let recipients: Vec<String> = bounce
        .records
        .iter()
        .filter_map(|r| r.recipient.as_deref().map(str::to_ascii_lowercase))
        .collect();
    lines.iter().position(|l| {
        let lower = l.to_ascii_lowercase();
        // A raw header block's own field (Exim's `X-Failed-Recipients:` above the bounce's
        // Date, as Gmail's "Show original" page shows it) is no report line.
        !lower.starts_with("x-failed-recipients:")
            && recipients.iter().any(|r| lower.contains(r.as_str()))
            // Nor is a view's To or From row: a loop bounces the customer's own address,
            // which the view's To row above the Date row names too.
            && !is_view_address_row(l)
    })
}

/// Whether `line` is a view's To or From row (`Προς: x@y`, `From: Ann <x@y>`).
fn is_view_address_row(line: &str) -> bool {
    crate::bounce::plain::view_row(line).is_some_and(|(label, value)| {
        value.contains('@')
            && ["to-labels", "from-labels"]
                .iter()
                .any(|section| crate::bounce::vocabulary::words(section).contains(&label.as_str()))
    })
}
