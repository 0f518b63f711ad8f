//! The real-terminal harness shared by the tmux tests (`mod support;`): the release binary
//! runs in its own tmux server (`-L`) with its own data and config dirs, a bounce is pasted
//! with `paste-buffer -p` (bracketed), keys are typed with `send-keys`, the screen is read
//! with `capture-pane`.
//!
//! Nothing here sleeps to assert: every wait polls the screen (or a file) until a condition
//! holds, and fails with the last screen after a timeout.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use bouncebook::bounce;
use bouncebook::classify::Classifier;
use bouncebook::playbook::{self, PlaybookSet};
use bouncebook::ticket::Ticket;

/// The eight specific causes (design.md's variation ids less `generic-553` and
/// `unclassified`): the measures of "a specific cause on none of ours" count these.
pub const SPECIFIC_CAUSES: [&str; 8] = [
    "relay-denied",
    "sender-not-owned",
    "recipient-unknown",
    "sender-domain-missing",
    "recipient-domain-missing",
    "address-syntax",
    "policy-blocked",
    "mail-loop",
];

pub const BIN: &str = env!("CARGO_BIN_EXE_bouncebook");
pub const TIMEOUT: Duration = Duration::from_secs(15);

/// `cmd` with the session's clipboard and terminal variables removed (each test decides
/// them) and its own data and config dirs under `data`.
pub fn isolated(mut cmd: Command, data: &Path) -> Command {
    for var in [
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "SSH_TTY",
        "SSH_CONNECTION",
        "TMUX",
        "TMUX_PANE",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("BOUNCEBOOK_DATA_DIR", data.join("data"))
        .env("BOUNCEBOOK_CONFIG_DIR", data.join("config"));
    cmd
}

/// The pane every test drives.
pub const PANE: &str = "t";

pub struct Tmux {
    socket: String,
    pub dir: tempfile::TempDir,
    /// How often the waits look at the screen.
    pub poll: Duration,
    /// The pane's size (columns, rows) for the next start.
    pub size: (u16, u16),
}

impl Tmux {
    /// A private tmux server for one test; None (the test skips) when tmux is not
    /// installed, except under `CI=true` where that fails the test (see [`can_run`]).
    pub fn new(name: &str) -> Option<Tmux> {
        if !needs(&[("tmux", "tmux")]) {
            return None;
        }
        Some(Tmux {
            socket: format!("bouncebook-{name}-{}", std::process::id()),
            dir: tempfile::tempdir().unwrap(),
            poll: Duration::from_millis(50),
            size: (160, 45),
        })
    }

    /// A path inside the test's private directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.path("data")
    }

    pub fn config_dir(&self) -> PathBuf {
        self.path("config")
    }

    pub fn tickets_dir(&self) -> PathBuf {
        self.data_dir().join("tickets")
    }

    pub fn ticket_path(&self, id: &str) -> PathBuf {
        self.tickets_dir().join(format!("{id}.json"))
    }

    pub fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    fn tmux_ok(&self, args: &[&str]) {
        let out = self.tmux(args);
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Run `script` (sh) in a fresh pane (160×45 unless `size` says otherwise) with the
    /// app's env set.
    pub fn start(&self, script: &str) {
        self.start_with_env(script, &[]);
    }

    /// [`Tmux::start`] with more environment variables for the pane.
    pub fn start_with_env(&self, script: &str, env: &[(&str, &str)]) {
        let mut vars = vec![
            format!("BOUNCEBOOK_DATA_DIR={}", self.data_dir().display()),
            format!("BOUNCEBOOK_CONFIG_DIR={}", self.config_dir().display()),
            "NO_COLOR=".to_string(),
        ];
        vars.extend(env.iter().map(|(k, v)| format!("{k}={v}")));
        let (width, height) = (self.size.0.to_string(), self.size.1.to_string());
        let mut args = vec!["new-session", "-d", "-s", PANE, "-x", &width, "-y", &height];
        for var in &vars {
            args.extend(["-e", var]);
        }
        args.extend(["sh", "-c", script]);
        self.tmux_ok(&args);
    }

    /// A second window (target `t:<name>`) running `script`, with the same environment.
    pub fn open_window(&self, name: &str, script: &str) -> String {
        // `t:` is tmux's documented form for "the session's next unused index". A bare `t`
        // is a target window that tmux resolved, now and then, to index 0: "create window
        // failed: index 0 in use", seen twice in full runs.
        let session = format!("{PANE}:");
        self.tmux_ok(&[
            "new-window",
            "-d",
            "-t",
            &session,
            "-n",
            name,
            "sh",
            "-c",
            script,
        ]);
        format!("{PANE}:{name}")
    }

    /// Replace what runs in the pane (killing it).
    pub fn respawn(&self, script: &str) {
        self.tmux_ok(&["respawn-pane", "-k", "-t", PANE, "sh", "-c", script]);
    }

    pub fn screen(&self) -> String {
        self.screen_of(PANE)
    }

    pub fn screen_of(&self, target: &str) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", target]).stdout)
            .into_owned()
    }

    /// The screen with wrapped lines joined (a long message on a narrow pane).
    pub fn joined_screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-J", "-t", PANE]).stdout)
            .into_owned()
    }

    /// The screen with its colours and attributes as escape sequences.
    pub fn styled_screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-e", "-t", PANE]).stdout)
            .into_owned()
    }

    pub fn wait_for(&self, what: &str, cond: impl Fn(&str) -> bool) -> String {
        self.wait_for_in(PANE, what, cond)
    }

    pub fn wait_for_in(&self, target: &str, what: &str, cond: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen_of(target);
            if cond(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(self.poll);
        }
    }

    pub fn wait_text(&self, text: &str) -> String {
        self.wait_for(text, |s| s.contains(text))
    }

    /// A bracketed paste, as a terminal does it.
    pub fn paste(&self, text: &str) {
        self.paste_into(PANE, text);
    }

    pub fn paste_into(&self, target: &str, text: &str) {
        let file = self.path("paste.txt");
        std::fs::write(&file, text).unwrap();
        let file = file.to_string_lossy().into_owned();
        self.tmux_ok(&["load-buffer", &file]);
        self.tmux_ok(&["paste-buffer", "-p", "-t", target]);
    }

    pub fn keys(&self, keys: &[&str]) {
        self.keys_into(PANE, keys);
    }

    pub fn keys_into(&self, target: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", target];
        args.extend_from_slice(keys);
        self.tmux_ok(&args);
    }

    pub fn display(&self, format: &str) -> String {
        self.display_of(PANE, format)
    }

    pub fn display_of(&self, target: &str, format: &str) -> String {
        let out = self.tmux(&["display-message", "-p", "-t", target, format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// The app on `ticket`; prints `EXITED <code>` when it ends, then keeps the pane alive.
    pub fn app_command(&self, ticket: &str) -> String {
        self.app_command_line(&format!("'{BIN}' --ticket {ticket}"))
    }

    /// `app` (a shell command line), then `EXITED <code>`, then the pane stays alive.
    pub fn app_command_line(&self, app: &str) -> String {
        format!("{app}; echo EXITED $?; sleep 600")
    }

    /// `app` (a shell command line), then the terminal checks [`Tmux::assert_terminal_restored`]
    /// reads: `EXITED <code>`, `stty -a` into a file, then `cat` into another file.
    pub fn hygiene_script(&self, app: &str) -> String {
        format!(
            "{app}; echo EXITED $?; stty -a > '{}'; cat > '{}'; echo DONE; sleep 600",
            self.path("stty.txt").display(),
            self.path("after.txt").display()
        )
    }

    /// After a [`Tmux::hygiene_script`] app has printed `EXITED`: the pane is off the
    /// alternate screen, the cursor shows, the terminal is out of raw mode (`stty -a`
    /// shows icanon, echo, isig) and bracketed paste is off (`cat` gets a tmux bracketed
    /// paste without the ESC[200~ markers, which tmux only adds when the program in the
    /// pane asked for them).
    pub fn assert_terminal_restored(&self, after: &str) {
        assert_eq!(
            self.display("#{alternate_on}"),
            "0",
            "{after}: still on the alternate screen"
        );
        assert_eq!(
            self.display("#{cursor_flag}"),
            "1",
            "{after}: the cursor is still hidden"
        );
        let stty = self.path("stty.txt");
        let modes = wait_for_file(&stty, |b| b.ends_with(b"\n"), "stty -a output");
        let modes = String::from_utf8_lossy(&modes);
        for flag in ["icanon", "echo", "isig"] {
            assert!(
                modes.split_whitespace().any(|w| w == flag),
                "{after}: {flag} not restored (raw mode left on): {modes}"
            );
        }
        self.paste("PLAIN");
        // The first Ctrl-D hands the typed-ahead text to cat, the second is end of file.
        self.keys(&["C-d"]);
        self.keys(&["C-d"]);
        self.wait_text("DONE");
        let got = std::fs::read(self.path("after.txt")).unwrap();
        assert_eq!(
            got,
            b"PLAIN",
            "{after}: bracketed paste still on: {:?}",
            String::from_utf8_lossy(&got)
        );
    }

    pub fn ticket(&self, id: &str) -> Ticket {
        serde_json::from_slice(&std::fs::read(self.ticket_path(id)).unwrap()).unwrap()
    }

    /// The pid of the bouncebook process under the pane's shell.
    pub fn app_pid(&self) -> u32 {
        let shell: u32 = self.display("#{pane_pid}").parse().unwrap();
        let start = Instant::now();
        loop {
            if let Some(pid) = child_named(shell, "bouncebook") {
                return pid;
            }
            assert!(start.elapsed() < TIMEOUT, "bouncebook process not found");
            std::thread::sleep(self.poll);
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// A child of `parent` whose command name ends with `name`.
fn child_named(parent: u32, name: &str) -> Option<u32> {
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // "pid (comm) state ppid ..."; comm may hold spaces, so split after ')'.
        let Some((comm, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let ppid = rest
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse::<u32>().ok());
        if ppid == Some(parent) && comm.ends_with(name) {
            return Some(pid);
        }
    }
    None
}

/// Poll `path` until its bytes satisfy `done`; fail after [`TIMEOUT`].
pub fn wait_for_file(path: &Path, done: impl Fn(&[u8]) -> bool, what: &str) -> Vec<u8> {
    let start = Instant::now();
    loop {
        if let Ok(bytes) = std::fs::read(path)
            && done(&bytes)
        {
            return bytes;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "timed out waiting for {what} in {}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tui")
        .join(name)
}

pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixture_path(name)).unwrap()
}

/// What the app will show for this bounce, asked of the library (not hard-coded): the
/// playbook set in force, the variation's title and its step titles.
pub fn expected(text: &str) -> (PlaybookSet, String, Vec<String>, String) {
    let set = playbook::load(None, &[]);
    let parsed = bounce::parse(text.as_bytes()).unwrap();
    let record = parsed.records.first().cloned().unwrap_or_default();
    let diagnosis = Classifier::new(&set).classify(&record);
    let playbook = set.get(&diagnosis.variation).unwrap().clone();
    let steps = playbook.steps.iter().map(|s| s.title.clone()).collect();
    (set, playbook.title.clone(), steps, diagnosis.variation)
}

/// The start of a title, short enough not to be cut or wrapped by the pane.
pub fn head(title: &str) -> String {
    title.chars().take(30).collect()
}

pub fn ticked_rows(screen: &str) -> usize {
    screen.matches("[x] ").count()
}

/// True when `tool` is an executable file on `PATH`.
pub fn have(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()))
}

/// `CI=true` (what `.ci/run` and CI services set): a test whose tool or privilege is
/// missing fails. Anywhere else it is skipped, with one line saying what is missing.
pub fn strict() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// Whether the calling test can run, given what it lacks (`None`: nothing). Under
/// `CI=true` a lack fails the test; elsewhere one `SKIPPED <binary>::<test>: <what>` line
/// goes to stderr (written directly, so the test harness's capture does not hide it) and
/// the test is to return at once.
pub fn can_run(missing: Option<String>) -> bool {
    let Some(what) = missing else {
        return true;
    };
    let binary = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .map(|s| {
            s.rsplit_once('-')
                .map_or(s.clone(), |(name, _)| name.to_string())
        })
        .unwrap_or_default();
    let thread = std::thread::current();
    let test = format!("{binary}::{}", thread.name().unwrap_or("?"));
    assert!(
        !strict(),
        "{test}: {what}; CI=true is set, so a missing tool or privilege fails the suite"
    );
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {what} (set CI=true to make this a failure)"
    );
    false
}

/// [`can_run`] for tools: (program, Debian package) pairs that must all be on `PATH`.
pub fn needs(tools: &[(&str, &str)]) -> bool {
    let missing: Vec<String> = tools
        .iter()
        .filter(|(tool, _)| !have(tool))
        .map(|(tool, package)| format!("{tool} is not installed (apt-get install {package})"))
        .collect();
    can_run((!missing.is_empty()).then(|| missing.join("; ")))
}

/// [`can_run`] for root (tmpfs mounts, as CI runs the suite).
pub fn needs_root(why: &str) -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    can_run((!root).then(|| format!("needs root to {why}")))
}

/// An Xvfb server on a free display number in `range`, killed when dropped. Test binaries
/// that run at the same time use different ranges.
pub struct Xvfb {
    child: std::process::Child,
    pub display: String,
}

impl Xvfb {
    /// None (the test skips) when Xvfb or xclip is not installed, except under `CI=true`.
    pub fn start(range: std::ops::Range<u32>) -> Option<Xvfb> {
        if !needs(&[("Xvfb", "xvfb"), ("xclip", "xclip")]) {
            return None;
        }
        for n in range.clone() {
            let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
            if socket.exists() || Path::new(&format!("/tmp/.X{n}-lock")).exists() {
                continue;
            }
            let Ok(mut child) = Command::new("Xvfb")
                .args([format!(":{n}").as_str(), "-nolisten", "tcp"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
            else {
                panic!("cannot start Xvfb");
            };
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if socket.exists() {
                    return Some(Xvfb {
                        child,
                        display: format!(":{n}"),
                    });
                }
                if matches!(child.try_wait(), Ok(Some(_))) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            // Lost a race for this number (or it hung): try the next one.
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("no free X display number in {range:?} for Xvfb");
    }

    /// What `xclip -o -selection clipboard` reads on this display.
    pub fn clipboard(&self) -> String {
        let out = Command::new("timeout")
            .args(["10", "xclip", "-o", "-selection", "clipboard"])
            .env("DISPLAY", &self.display)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "xclip -o failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
