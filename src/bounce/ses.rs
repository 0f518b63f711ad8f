//! Amazon SES notifications (JSON): what SES publishes to SNS, to an e-mail subscription or
//! a webhook, for a bounce, a complaint or a delivery. Agents paste them from a mailbox or
//! from an application's log. The fields read are the documented ones ("Amazon SES
//! notification contents"): `notificationType` (or `eventType` for event publishing),
//! `bounce.bouncedRecipients[]` (`emailAddress`, `action`, `status`, `diagnosticCode`),
//! `complaint.complainedRecipients[]`, `delivery.recipients[]` with `smtpResponse`, the
//! `reportingMTA` and `remoteMtaIp`, and `mail.source` (the envelope sender). An SNS
//! envelope (`"Type": "Notification"`) carries the notification as a JSON string in
//! `Message`.

use serde_json::Value;

use super::dsn;
use super::model::{Action, Record};
use super::response;
use super::scan;
use super::service::{ServiceReport, parse_json};

/// Notifications larger than this are not SES's (a bounce notification is a few KB).
const MAX_JSON_BYTES: usize = 1024 * 1024;

/// The SES notification in `text`, when it holds one: the JSON object from the first `{` on.
pub fn read(text: &str) -> Option<ServiceReport> {
    if !(text.contains("notificationType") || text.contains("eventType")) {
        return None;
    }
    let start = text.find('{')?;
    let end = text.rfind('}')?;
    let json = text.get(start..=end)?;
    if json.len() > MAX_JSON_BYTES {
        return None;
    }
    let value = parse_json(json)?;
    let value = match value.get("Message").and_then(Value::as_str) {
        // The SNS envelope: the notification is the string inside.
        Some(inner) => parse_json(inner)?,
        None => value,
    };
    notification(&value)
}

fn notification(v: &Value) -> Option<ServiceReport> {
    let kind = v
        .get("notificationType")
        .or_else(|| v.get("eventType"))
        .and_then(Value::as_str)?
        .to_ascii_lowercase();
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let mail = v.get("mail").unwrap_or(&Value::Null);
    let mut out = ServiceReport {
        // `"Acme" <a@b>` when the application gave a display name: the address.
        sender: s(mail, "source").map(|v| {
            super::address::first_in(&v)
                .map(str::to_string)
                .unwrap_or(v)
        }),
        message_id: s(mail, "messageId"),
        ..ServiceReport::default()
    };
    let (section, action) = match kind.as_str() {
        "bounce" => ("bounce", Action::Failed),
        "complaint" => ("complaint", Action::Feedback),
        "delivery" => ("delivery", Action::Delivered),
        _ => return None,
    };
    let body = v.get(section)?;
    out.timestamp = s(body, "timestamp");
    out.reporting_mta = s(body, "reportingMTA").map(|m| dsn::strip_diagnostic_type(&m).to_string());
    let remote_ip = s(body, "remoteMtaIp");
    let list = |k: &str| {
        body.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    match section {
        "bounce" => {
            let temporary =
                s(body, "bounceType").is_some_and(|t| t.eq_ignore_ascii_case("transient"));
            for r in list("bouncedRecipients").iter().take(256) {
                let diagnostic =
                    s(r, "diagnosticCode").map(|d| dsn::strip_diagnostic_type(&d).to_string());
                let said = diagnostic
                    .as_deref()
                    .map(response::extract)
                    .unwrap_or_default();
                let field_status =
                    s(r, "status").and_then(|st| scan::find_status(&st).map(str::to_string));
                out.records.push(Record {
                    recipient: s(r, "emailAddress"),
                    reply_code: said.reply_code,
                    status: said.status.or(field_status),
                    diagnostic: if said.text.is_empty() {
                        diagnostic
                    } else {
                        Some(said.text)
                    },
                    stage: diagnostic_stage(r),
                    remote_ip: remote_ip.clone(),
                    action: match s(r, "action").as_deref() {
                        Some(a) => dsn::action_of(a),
                        None if temporary => Action::Delayed,
                        None => action,
                    },
                    ..Record::default()
                });
            }
        }
        "complaint" => {
            let kind = s(body, "complaintFeedbackType").unwrap_or_else(|| "abuse".to_string());
            for r in list("complainedRecipients").iter().take(256) {
                out.records.push(Record {
                    recipient: s(r, "emailAddress"),
                    diagnostic: Some(format!("feedback report: {kind}")),
                    action,
                    ..Record::default()
                });
            }
        }
        _ => {
            let said = s(body, "smtpResponse");
            let r = said.as_deref().map(response::extract).unwrap_or_default();
            // A delivery's reply is a success: `extract` reads failure codes only.
            let code = r.reply_code.or_else(|| {
                said.as_deref()
                    .and_then(scan::find_reply_code)
                    .and_then(|(at, c)| (at == 0).then_some(c))
            });
            for rcpt in list("recipients").iter().take(256) {
                out.records.push(Record {
                    recipient: rcpt.as_str().map(str::to_string),
                    reply_code: code,
                    status: r.status.clone(),
                    diagnostic: said.clone(),
                    remote_ip: remote_ip.clone(),
                    action,
                    ..Record::default()
                });
            }
        }
    }
    Some(out)
}

/// The stage, when the recipient's diagnostic names one.
fn diagnostic_stage(r: &Value) -> Option<super::model::Stage> {
    r.get("diagnosticCode")
        .and_then(Value::as_str)
        .and_then(scan::find_stage)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounce_inside_an_sns_envelope_with_a_folded_line() {
        let text = "{\n  \"Type\" : \"Notification\",\n  \"Message\" : \"{\\\"notificationType\\\":\\\"Bounce\\\",\\\"bounce\\\":{\\\"bounceType\\\":\\\"Permanent\\\",\\\"bouncedRecipients\\\":[{\\\"emailAddress\\\":\\\"ann@far.example\\\",\\\"action\\\":\\\"failed\\\",\\\"status\\\":\\\"5.1.1\\\",\\\"diagnosticCode\\\":\\\"smtp; 550 5.1.1 user unk\n nown\\\"}],\\\"timestamp\\\":\\\"2025-12-01T10:00:02.000Z\\\",\\\"reportingMTA\\\":\\\"dsn; a1.smtp-out.example\\\"},\\\"mail\\\":{\\\"source\\\":\\\"Shop <shop@near.example>\\\",\\\"sourceArn\\\":\\\"arn:aws:ses:eu-west-1:1:identity/shop@near.example\\\"}}\"\n}\n";
        let n = read(text).expect("a notification");
        assert_eq!(n.sender.as_deref(), Some("shop@near.example"));
        assert_eq!(n.timestamp.as_deref(), Some("2025-12-01T10:00:02.000Z"));
        assert_eq!(n.reporting_mta.as_deref(), Some("a1.smtp-out.example"));
        let r = &n.records[0];
        assert_eq!(r.recipient.as_deref(), Some("ann@far.example"));
        assert_eq!(r.reply_code, Some(550));
        assert_eq!(r.status.as_deref(), Some("5.1.1"));
        assert_eq!(r.diagnostic.as_deref(), Some("550 5.1.1 user unknown"));
    }

    #[test]
    fn delivery_and_complaint() {
        let n = read("{\"notificationType\":\"Delivery\",\"mail\":{\"source\":\"a@near.example\"},\"delivery\":{\"timestamp\":\"2025-12-01T10:00:02Z\",\"recipients\":[\"b@far.example\"],\"smtpResponse\":\"250 2.6.0 Message received\"}}").expect("a notification");
        assert_eq!(n.records[0].action, Action::Delivered);
        assert_eq!(n.records[0].reply_code, Some(250));
        assert_eq!(n.records[0].status.as_deref(), Some("2.6.0"));
        let n = read("{\"eventType\":\"Complaint\",\"mail\":{},\"complaint\":{\"complainedRecipients\":[{\"emailAddress\":\"c@far.example\"}]}}").expect("a notification");
        assert_eq!(n.records[0].action, Action::Feedback);
        assert_eq!(n.records[0].recipient.as_deref(), Some("c@far.example"));
        assert!(read("{\"notificationType\": 3}").is_none());
        assert!(read("notificationType is a word").is_none());
    }
}
