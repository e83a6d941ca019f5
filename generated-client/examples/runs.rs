//! `runs`: list, inspect, download logs of, re-run and cancel GitHub Actions workflow runs.
//!
//! ```text
//! cargo run -p workflow-runs-client --example runs -- [--base-url URL] <command>
//!   list OWNER REPO [--workflow ID_OR_FILE] [--branch B] [--status S] [--created RANGE] [--per-page N] [--all]
//!   get OWNER REPO RUN_ID
//!   logs OWNER REPO RUN_ID --out FILE
//!   rerun OWNER REPO RUN_ID [--failed-only] [--debug]
//!   cancel OWNER REPO RUN_ID
//! ```
//!
//! * The token comes from the `GITHUB_TOKEN` environment variable when it is set; without
//!   one, requests are anonymous (enough for public repositories' runs).
//! * `--base-url` selects the API root: `https://api.github.com` by default, or e.g.
//!   `https://ghe.example.com/api/v3` for GitHub Enterprise Server.
//! * `list` prints one tab-separated line per run: `id`, `status`, `conclusion`, `name`
//!   (`-` for a missing value). It shows one page unless `--all` is given, which follows
//!   every page (and fails if the pages link back to one already shown, or run past the
//!   client's default of 1,000 pages). `--workflow` narrows the list to one workflow, by numeric id or file name
//!   (`ci.yml`).
//! * `get` prints the same columns plus the run's `html_url`.
//! * `logs` asks the API for the log archive's short-lived URL and downloads it to FILE
//!   (the token is not sent to the storage host), then prints the number of bytes.
//! * `rerun` re-runs the whole run, or only its failed jobs with `--failed-only`;
//!   `--debug` turns on debug logging for the re-run.
//! * `cancel` prints `cancelled` once the API accepts the request.
//!
//! Errors go to standard error and the exit status is 1; bad usage prints the usage text
//! and exits with 2.
//!
//! Text from the server (run names come from pull-request titles, which anyone can set)
//! is printed with control characters escaped, so it cannot forge rows or columns, nor
//! drive the terminal.

use futures_util::StreamExt;
use std::io::Write;
use std::process::ExitCode;
use workflow_runs_client::runtime::escape_controls;
use workflow_runs_client::types::{WorkflowId, WorkflowRun, WorkflowRunStatus};
use workflow_runs_client::Client;

const USAGE: &str = "\
usage: runs [--base-url URL] <command>

commands:
  list OWNER REPO [--workflow ID_OR_FILE] [--branch B] [--status S] [--created RANGE] [--per-page N] [--all]
  get OWNER REPO RUN_ID
  logs OWNER REPO RUN_ID --out FILE
  rerun OWNER REPO RUN_ID [--failed-only] [--debug]
  cancel OWNER REPO RUN_ID

The token is read from GITHUB_TOKEN when it is set.";

/// Why the program stops early.
enum Failure {
    /// The command line is wrong: say why, then show the usage.
    Usage(String),
    /// The API or the download failed.
    Client(workflow_runs_client::Error),
    /// Standard output went away (e.g. piped into `head`): stop quietly.
    ClosedOutput,
    /// Writing standard output failed otherwise.
    Output(std::io::Error),
}

impl From<workflow_runs_client::Error> for Failure {
    fn from(error: workflow_runs_client::Error) -> Self {
        Failure::Client(error)
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::ClosedOutput
        } else {
            Failure::Output(error)
        }
    }
}

fn usage(message: impl Into<String>) -> Failure {
    Failure::Usage(message.into())
}

/// Filters for `list`.
#[derive(Default)]
struct ListOptions {
    workflow: Option<String>,
    branch: Option<String>,
    status: Option<String>,
    created: Option<String>,
    per_page: Option<i64>,
    all: bool,
}

enum Command {
    List { owner: String, repo: String, options: ListOptions },
    Get { owner: String, repo: String, run_id: i64 },
    Logs { owner: String, repo: String, run_id: i64, out: String },
    Rerun { owner: String, repo: String, run_id: i64, failed_only: bool, debug: bool },
    Cancel { owner: String, repo: String, run_id: i64 },
}

struct Invocation {
    base_url: Option<String>,
    command: Command,
}

/// The command line split into positional arguments, `--name value` options and
/// `--name` switches, checked against what the command accepts.
struct Words {
    positional: Vec<String>,
    options: Vec<(String, String)>,
    switches: Vec<String>,
}

impl Words {
    fn split(args: &[String], valued: &[&str], switches: &[&str]) -> Result<Words, Failure> {
        let mut words = Words { positional: Vec::new(), options: Vec::new(), switches: Vec::new() };
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            if arg == "--" {
                words.positional.extend(rest.by_ref().cloned());
                break;
            }
            let Some(flag) = arg.strip_prefix("--") else {
                words.positional.push(arg.clone());
                continue;
            };
            let (name, inline) = match flag.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (flag, None),
            };
            if valued.contains(&name) {
                let value = match inline {
                    Some(value) => value,
                    None => rest.next().cloned().ok_or_else(|| usage(format!("--{name} needs a value")))?,
                };
                if words.options.iter().any(|(seen, _)| seen == name) {
                    return Err(usage(format!("--{name} given twice")));
                }
                words.options.push((name.to_owned(), value));
            } else if switches.contains(&name) {
                if inline.is_some() {
                    return Err(usage(format!("--{name} takes no value")));
                }
                words.switches.push(name.to_owned());
            } else {
                return Err(usage(format!("unknown option `{arg}`")));
            }
        }
        Ok(words)
    }

    fn option(&self, name: &str) -> Option<String> {
        self.options.iter().find(|(seen, _)| seen == name).map(|(_, value)| value.clone())
    }

    fn switch(&self, name: &str) -> bool {
        self.switches.iter().any(|seen| seen == name)
    }

    /// Exactly `N` positional arguments, named for the error message.
    fn positional<const N: usize>(&self, command: &str, names: [&str; N]) -> Result<[String; N], Failure> {
        <[String; N]>::try_from(self.positional.clone())
            .map_err(|_| usage(format!("`{command}` takes {}", names.join(" "))))
    }
}

fn run_id(text: &str) -> Result<i64, Failure> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| usage(format!("RUN_ID must be a positive number, not `{text}`")))
}

fn parse(args: &[String]) -> Result<Invocation, Failure> {
    // Options that apply to every command come before it.
    let mut base_url = None;
    let mut index = 0;
    while let Some(arg) = args.get(index) {
        if arg == "--base-url" {
            let value = args.get(index + 1).ok_or_else(|| usage("--base-url needs a value"))?;
            base_url = Some(value.clone());
            index += 2;
        } else if let Some(value) = arg.strip_prefix("--base-url=") {
            base_url = Some(value.to_owned());
            index += 1;
        } else {
            break;
        }
    }
    let Some(name) = args.get(index) else { return Err(usage("no command given")) };
    let rest = &args[index + 1..];
    let command = match name.as_str() {
        "list" => {
            let words = Words::split(rest, &["workflow", "branch", "status", "created", "per-page"], &["all"])?;
            let [owner, repo] = words.positional("list", ["OWNER", "REPO"])?;
            let per_page = match words.option("per-page") {
                Some(text) => Some(
                    text.parse::<i64>()
                        .ok()
                        .filter(|n| (1..=100).contains(n))
                        .ok_or_else(|| usage(format!("--per-page must be a number from 1 to 100, not `{text}`")))?,
                ),
                None => None,
            };
            let options = ListOptions {
                workflow: words.option("workflow"),
                branch: words.option("branch"),
                status: words.option("status"),
                created: words.option("created"),
                per_page,
                all: words.switch("all"),
            };
            Command::List { owner, repo, options }
        }
        "get" | "cancel" => {
            let words = Words::split(rest, &[], &[])?;
            let [owner, repo, id] = words.positional(name, ["OWNER", "REPO", "RUN_ID"])?;
            let run_id = run_id(&id)?;
            if name == "get" {
                Command::Get { owner, repo, run_id }
            } else {
                Command::Cancel { owner, repo, run_id }
            }
        }
        "logs" => {
            let words = Words::split(rest, &["out"], &[])?;
            let [owner, repo, id] = words.positional("logs", ["OWNER", "REPO", "RUN_ID"])?;
            let out = words.option("out").ok_or_else(|| usage("`logs` needs --out FILE"))?;
            Command::Logs { owner, repo, run_id: run_id(&id)?, out }
        }
        "rerun" => {
            let words = Words::split(rest, &[], &["failed-only", "debug"])?;
            let [owner, repo, id] = words.positional("rerun", ["OWNER", "REPO", "RUN_ID"])?;
            Command::Rerun {
                owner,
                repo,
                run_id: run_id(&id)?,
                failed_only: words.switch("failed-only"),
                debug: words.switch("debug"),
            }
        }
        other => return Err(usage(format!("unknown command `{other}`"))),
    };
    Ok(Invocation { base_url, command })
}

/// A server-sent value for printing: escaped, or `-` when missing or empty.
fn or_dash(value: Option<&str>) -> std::borrow::Cow<'_, str> {
    escape_controls(value.filter(|v| !v.is_empty()).unwrap_or("-"))
}

fn print_run(out: &mut impl Write, run: &WorkflowRun) -> Result<(), Failure> {
    writeln!(
        out,
        "{}\t{}\t{}\t{}",
        run.id,
        or_dash(run.status.as_deref()),
        or_dash(run.conclusion.as_deref()),
        or_dash(run.name.as_deref())
    )?;
    Ok(())
}

/// Applies the `list` filters to either listing request (they share their setters),
/// then prints one page, or every page with `--all`.
macro_rules! list_runs {
    ($request:expr, $options:expr, $out:expr) => {{
        let options: &ListOptions = $options;
        let mut request = $request;
        if let Some(branch) = &options.branch {
            request = request.branch(branch.as_str());
        }
        if let Some(status) = &options.status {
            request = request.status(WorkflowRunStatus::from(status.as_str()));
        }
        if let Some(created) = &options.created {
            request = request.created(created.as_str());
        }
        if let Some(per_page) = options.per_page {
            request = request.per_page(per_page);
        }
        if options.all {
            let mut runs = std::pin::pin!(request.stream());
            while let Some(run) = runs.next().await {
                print_run($out, &run?)?;
            }
        } else {
            let page = request.send().await?;
            for run in &page.workflow_runs {
                print_run($out, run)?;
            }
        }
    }};
}

async fn execute(invocation: Invocation) -> Result<(), Failure> {
    let mut builder = Client::builder();
    if let Some(base_url) = invocation.base_url {
        builder = builder.base_url(base_url);
    }
    if let Some(token) = std::env::var("GITHUB_TOKEN").ok().filter(|t| !t.trim().is_empty()) {
        builder = builder.token(token.trim());
    }
    let client = builder.build()?;
    let actions = client.actions();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();

    match invocation.command {
        Command::List { owner, repo, options } => match &options.workflow {
            Some(workflow) => {
                let id = if !workflow.is_empty() && workflow.bytes().all(|b| b.is_ascii_digit()) {
                    let number = workflow.parse::<i64>().map_err(|_| usage(format!("workflow id `{workflow}` is too large")))?;
                    WorkflowId::Integer(number)
                } else {
                    WorkflowId::String(workflow.clone())
                };
                list_runs!(actions.list_workflow_runs(owner, repo, id), &options, &mut out)
            }
            None => list_runs!(actions.list_workflow_runs_for_repo(owner, repo), &options, &mut out),
        },
        Command::Get { owner, repo, run_id } => {
            let run = actions.get_workflow_run(owner, repo, run_id).send().await?;
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}",
                run.id,
                or_dash(run.status.as_deref()),
                or_dash(run.conclusion.as_deref()),
                or_dash(run.name.as_deref()),
                or_dash(Some(&run.html_url))
            )?;
        }
        Command::Logs { owner, repo, run_id, out: file } => {
            let redirect = actions.download_workflow_run_logs(owner, repo, run_id).send().await?;
            let bytes = client.download_to_file(&redirect.location, &file).await?;
            writeln!(out, "{bytes} bytes written to {}", escape_controls(&file))?;
        }
        Command::Rerun { owner, repo, run_id, failed_only, debug } => {
            if failed_only {
                let mut request = actions.re_run_workflow_failed_jobs(owner, repo, run_id);
                if debug {
                    request = request.enable_debug_logging(true);
                }
                request.send().await?;
                writeln!(out, "re-run of failed jobs requested")?;
            } else {
                let mut request = actions.re_run_workflow(owner, repo, run_id);
                if debug {
                    request = request.enable_debug_logging(true);
                }
                request.send().await?;
                writeln!(out, "re-run requested")?;
            }
        }
        Command::Cancel { owner, repo, run_id } => {
            actions.cancel_workflow_run(owner, repo, run_id).send().await?;
            writeln!(out, "cancelled")?;
        }
    }
    out.flush()?;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Result<Vec<String>, _> = std::env::args_os().skip(1).map(|arg| arg.into_string()).collect();
    let outcome = match args {
        Err(arg) => Err(usage(format!("argument {arg:?} is not valid UTF-8"))),
        Ok(args) if args.iter().any(|a| a == "-h" || a == "--help") => {
            let _ = writeln!(std::io::stdout(), "{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(args) => match parse(&args) {
            Ok(invocation) => execute(invocation).await,
            Err(failure) => Err(failure),
        },
    };
    match outcome {
        Ok(()) | Err(Failure::ClosedOutput) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("error: {}\n\n{USAGE}", escape_controls(&message));
            ExitCode::from(2)
        }
        Err(Failure::Client(error)) => {
            match error.request_id() {
                // The error escapes what it quotes; the request id is a header, escaped here.
                Some(id) => eprintln!("error: {error} (request id {})", escape_controls(id)),
                None => eprintln!("error: {error}"),
            }
            ExitCode::FAILURE
        }
        Err(Failure::Output(error)) => {
            eprintln!("error: writing output: {error}");
            ExitCode::FAILURE
        }
    }
}
