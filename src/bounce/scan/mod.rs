//! Small scanners, each reading one thing out of a piece of reply text: the reply code, the
//! enhanced status, the SMTP stage, the remote host. They scan bytes (or one regex for the
//! stage phrases), stay linear in the text, and know nothing of the input's shape: every
//! reader uses them.

mod code;
mod host;
mod stage;
mod status;

pub use code::{find_failure_code, find_reply_code};
pub use host::find_remote_host;
pub use stage::{find_stage, find_stage_around};
pub use status::{find_status, is_status_word};
