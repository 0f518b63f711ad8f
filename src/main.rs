//! The command line: parse arguments, dispatch to the TUI or a subcommand. Thin on purpose.

mod cli;

/// mimalloc instead of the system allocator: parsing a bounce makes many small, short-lived
/// allocations (header values, decoded parts, record strings), which glibc's malloc/free
/// serve slower, most of all from several `triage` threads at once.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "bouncebook",
    version,
    about = "Triage SMTP 553 bounces: parse, name the cause, work the playbook, escalate",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// Ticket id to open or resume (a new id is made when omitted).
    #[arg(long, value_name = "ID")]
    ticket: Option<String>,

    /// Extra playbook directory (repeatable; later ones win).
    #[arg(long = "playbooks", value_name = "DIR")]
    playbooks: Vec<PathBuf>,

    /// A bounce to preload: a file, or `-` for stdin.
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Parse and classify bounces without the TUI.
    Triage(TriageArgs),
    /// Print the escalation summary of a ticket or a bounce.
    Summary(SummaryArgs),
    /// List or validate playbooks.
    #[command(subcommand)]
    Playbooks(PlaybooksCommand),
    /// List saved tickets, newest first; delete or prune them.
    Tickets(TicketsArgs),
    /// Live DNS / blocklist / SPF / DMARC / SMTP checks for a bounce.
    Check(CheckArgs),
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// One JSON object per check, one per line.
    #[arg(long)]
    pub json: bool,
    /// Ask this DNS server (ADDR[:PORT]) instead of the system's.
    #[arg(long, value_name = "ADDR[:PORT]")]
    pub resolver: Option<String>,
    /// Talk SMTP on this port instead of 25 (MX) and 587 (submission); 465 is then skipped.
    #[arg(long, value_name = "PORT")]
    pub smtp_port: Option<u16>,
    /// No SMTP connections: DNS checks only.
    #[arg(long)]
    pub no_smtp: bool,
    /// The saved ticket whose bounce to check.
    #[arg(long, value_name = "ID", conflicts_with = "file")]
    pub ticket: Option<String>,
    /// A bounce file, or `-` for stdin.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct TriageArgs {
    /// One JSON object per input, one per line.
    #[arg(long)]
    pub json: bool,
    /// Extra playbook directory (repeatable).
    #[arg(long = "playbooks", value_name = "DIR")]
    pub playbooks: Vec<PathBuf>,
    /// Files or directories (walked recursively, sorted); `-` is stdin.
    #[arg(value_name = "PATH", default_value = "-")]
    pub paths: Vec<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum, Default)]
pub enum FormatArg {
    #[default]
    Text,
    Markdown,
    /// Jira wiki markup.
    Jira,
}

#[derive(Args, Debug)]
pub struct SummaryArgs {
    /// The saved ticket to summarise.
    #[arg(long, value_name = "ID", conflicts_with = "file")]
    pub ticket: Option<String>,
    /// A bounce file, or `-` for stdin.
    #[arg(value_name = "FILE", required_unless_present = "ticket")]
    pub file: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// Also copy the summary through the clipboard chain (reported on stderr).
    #[arg(long)]
    pub copy: bool,
    /// Add the customer reply (the cause's `reply:` text, filled from the bounce).
    #[arg(long)]
    pub reply: bool,
    /// Extra playbook directory (repeatable).
    #[arg(long = "playbooks", value_name = "DIR")]
    pub playbooks: Vec<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum PlaybooksCommand {
    /// Ids, titles, step counts and where each playbook came from.
    List {
        #[arg(long)]
        json: bool,
        /// Extra playbook directory (repeatable).
        #[arg(long = "playbooks", value_name = "DIR")]
        playbooks: Vec<PathBuf>,
    },
    /// Validate playbooks; problems as FILE:LINE:COL: message. Exit 1 when any.
    Check {
        /// Directories (or files) to check; the embedded and config-dir playbooks when none.
        #[arg(value_name = "DIR")]
        dirs: Vec<PathBuf>,
    },
}

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct TicketsArgs {
    #[command(subcommand)]
    pub command: Option<TicketsCommand>,
    /// One JSON object per ticket, one per line.
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum TicketsCommand {
    /// Forget tickets: each ticket file and everything kept for it (refused while open).
    Delete {
        #[arg(value_name = "ID", required = true)]
        ids: Vec<String>,
    },
    /// Forget tickets not changed for DURATION (e.g. 30d, 12h), and copied summaries as old.
    Prune {
        /// How long unchanged: a number and a unit (s, m, h, d, w), e.g. 30d or 1d12h.
        #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
        older_than: bouncebook::ticket::Duration,
        /// Only list what would be removed.
        #[arg(long)]
        dry_run: bool,
    },
    /// Causes agents set by hand (`v`), across tickets: what bouncebook said, what the agent set.
    Corrections {
        /// One JSON object per correction, one per line.
        #[arg(long, conflicts_with = "yaml")]
        json: bool,
        /// `examples:` entries to paste into a team playbook (`playbooks check` runs them).
        #[arg(long)]
        yaml: bool,
    },
}

fn parse_duration(text: &str) -> Result<bouncebook::ticket::Duration, String> {
    bouncebook::ticket::parse_duration(text)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Triage(args)) => cli::triage::run(&args),
        Some(Command::Summary(args)) => cli::summary::run(&args),
        Some(Command::Playbooks(cmd)) => cli::playbooks::run(&cmd),
        Some(Command::Tickets(args)) => cli::tickets::run(&args),
        Some(Command::Check(args)) => cli::check::run(&args),
        None => cli::tui::run(cli.ticket, cli.playbooks, cli.file),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("bouncebook: {err:#}");
            ExitCode::FAILURE
        }
    }
}
