//! The command line: parse arguments, dispatch to the TUI or a subcommand. Thin on purpose.

mod cli;

/// mimalloc instead of the system allocator: parsing a bounce makes many small, short-lived
/// allocations (header values, decoded parts, record strings), which glibc's malloc/free
/// serve slower, most of all from several `triage` threads at once (see
/// `bouncebook::allocator`).
#[global_allocator]
static GLOBAL: bouncebook::allocator::Allocator = bouncebook::allocator::Allocator;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "bouncebook",
    version,
    about = "Triage SMTP 553 bounces: parse, name the cause, work the playbook, escalate"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// Ticket id to open or resume (a new id is made when omitted); before `summary` or
    /// `check`, the ticket they work on.
    #[arg(long, value_name = "ID")]
    ticket: Option<String>,

    /// Extra playbook directory (repeatable; later ones win); may stand before `triage`,
    /// `summary` or `playbooks list`.
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
    /// (Required unless --ticket is given, here or before `summary`; main checks it, so the
    /// global form counts.)
    #[arg(value_name = "FILE")]
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
    let result = dispatch(Cli::parse());
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("bouncebook: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// A usage error in clap's own form and exit code (2), for what clap cannot check itself.
fn usage_error(kind: clap::error::ErrorKind, message: String) -> ! {
    use clap::CommandFactory;
    Cli::command().error(kind, message).exit()
}

/// `--playbooks` and `--ticket` may stand before a subcommand (design.md, "CLI contract").
/// They are parsed on the top level and handed to the subcommands they mean something to,
/// rather than declared `global`: clap would then also accept them after `tickets` or
/// `check`, where they would be silently ignored. Where they do not apply, they are refused.
fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    use clap::error::ErrorKind;
    let Cli {
        command,
        ticket,
        playbooks,
        file,
    } = cli;
    let Some(command) = command else {
        return cli::tui::run(ticket, playbooks, file);
    };
    let name = command.name();
    if let Some(file) = file {
        usage_error(
            ErrorKind::ArgumentConflict,
            format!(
                "{} comes before `{name}`, so it would be ignored; give it after the subcommand",
                file.display()
            ),
        );
    }
    let refuse = |option: &str| {
        usage_error(
            ErrorKind::ArgumentConflict,
            format!("{option} does not apply to `{name}`"),
        )
    };
    // Global directories first: they stand first on the command line, and later ones win.
    let with_global =
        |own: Vec<PathBuf>| -> Vec<PathBuf> { playbooks.iter().cloned().chain(own).collect() };
    // The global ticket stands for the subcommand's own --ticket: the same conflicts apply.
    let take_ticket = |own: &mut Option<String>, file: &Option<PathBuf>, need_one: bool| {
        if let Some(id) = &ticket {
            if own.is_some() {
                usage_error(
                    ErrorKind::ArgumentConflict,
                    "--ticket given twice (before and after the subcommand)".to_string(),
                );
            }
            if file.is_some() {
                usage_error(
                    ErrorKind::ArgumentConflict,
                    "--ticket cannot be used with a FILE".to_string(),
                );
            }
            *own = Some(id.clone());
        }
        if need_one && own.is_none() && file.is_none() {
            usage_error(
                ErrorKind::MissingRequiredArgument,
                "give a bounce FILE (or - for stdin) or --ticket ID".to_string(),
            );
        }
    };
    match command {
        Command::Triage(mut args) => {
            if ticket.is_some() {
                refuse("--ticket");
            }
            args.playbooks = with_global(std::mem::take(&mut args.playbooks));
            cli::triage::run(&args)
        }
        Command::Summary(mut args) => {
            take_ticket(&mut args.ticket, &args.file, true);
            args.playbooks = with_global(std::mem::take(&mut args.playbooks));
            cli::summary::run(&args)
        }
        Command::Playbooks(mut cmd) => {
            if ticket.is_some() {
                refuse("--ticket");
            }
            match &mut cmd {
                PlaybooksCommand::List { playbooks: own, .. } => {
                    *own = with_global(std::mem::take(own));
                }
                PlaybooksCommand::Check { .. } => {
                    if !playbooks.is_empty() {
                        usage_error(
                            ErrorKind::ArgumentConflict,
                            "--playbooks does not apply to `playbooks check`: give the \
                             folders to check as arguments"
                                .to_string(),
                        );
                    }
                }
            }
            cli::playbooks::run(&cmd)
        }
        Command::Tickets(args) => {
            if ticket.is_some() {
                refuse("--ticket");
            }
            if !playbooks.is_empty() {
                refuse("--playbooks");
            }
            cli::tickets::run(&args)
        }
        Command::Check(mut args) => {
            if !playbooks.is_empty() {
                refuse("--playbooks");
            }
            take_ticket(&mut args.ticket, &args.file, false);
            cli::check::run(&args)
        }
    }
}

impl Command {
    fn name(&self) -> &'static str {
        match self {
            Command::Triage(_) => "triage",
            Command::Summary(_) => "summary",
            Command::Playbooks(_) => "playbooks",
            Command::Tickets(_) => "tickets",
            Command::Check(_) => "check",
        }
    }
}
