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
//! * The token comes from the `GITHUB_TOKEN` environment variable when it is set. Without
//!   it, when `GITHUB_APP_ID`, `GITHUB_APP_PRIVATE_KEY` (the path of the App's `.pem`
//!   file) and `GITHUB_APP_INSTALLATION_ID` are set, the program authenticates as that
//!   GitHub App installation (installation tokens are exchanged and refreshed as
//!   needed). Without either, requests are anonymous (enough for public repositories'
//!   runs).
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
use workflow_runs_client::{Client, ClientBuilder, GitHubApp};

const USAGE: &str = "\
usage: runs [--base-url URL] <command>

commands:
  list OWNER REPO [--workflow ID_OR_FILE] [--branch B] [--status S] [--created RANGE] [--per-page N] [--all]
  get OWNER REPO RUN_ID
  logs OWNER REPO RUN_ID --out FILE
  rerun OWNER REPO RUN_ID [--failed-only] [--debug]
  cancel OWNER REPO RUN_ID

The token is read from GITHUB_TOKEN when it is set; otherwise GITHUB_APP_ID,
GITHUB_APP_PRIVATE_KEY (path of the App's .pem file) and GITHUB_APP_INSTALLATION_ID
authenticate as a GitHub App installation.";

/// Why the program stops early.
enum Failure {
    /// The command line is wrong: say why, then show the usage.
    Usage(String),
    /// The API or the download failed.
    Client(workflow_runs_client::Error),
    /// The GitHub App's private key file could not be read.
    Key(String),
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

/// The command line: a request for help, or a checked command to run.
enum Parsed {
    Help,
    Run(Invocation),
}

/// Options that take a value, and switches; which command accepts which is checked after.
const VALUED: &[&str] = &["base-url", "workflow", "branch", "status", "created", "per-page", "out"];
const SWITCHES: &[&str] = &["all", "failed-only", "debug"];

impl From<lexopt::Error> for Failure {
    fn from(error: lexopt::Error) -> Self {
        usage(error.to_string())
    }
}

fn run_id(text: &str) -> Result<i64, Failure> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| usage(format!("RUN_ID must be a positive number, not `{text}`")))
}

fn parse(mut parser: lexopt::Parser) -> Result<Parsed, Failure> {
    use lexopt::prelude::*;
    let (mut positional, mut options) = (Vec::new(), Vec::<(String, Option<String>)>::new());
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Ok(Parsed::Help),
            Long(name) if VALUED.contains(&name) => {
                let name = name.to_owned();
                options.push((name, Some(parser.value()?.string()?)));
            }
            Long(name) if SWITCHES.contains(&name) => options.push((name.to_owned(), None)),
            Value(value) => positional.push(value.string()?),
            _ => return Err(arg.unexpected().into()),
        }
    }
    let Some((name, rest)) = positional.split_first() else { return Err(usage("no command given")) };
    let (accepted, arguments): (&[&str], &[&str]) = match name.as_str() {
        "list" => (&["workflow", "branch", "status", "created", "per-page", "all"], &["OWNER", "REPO"]),
        "get" | "cancel" => (&[], &["OWNER", "REPO", "RUN_ID"]),
        "logs" => (&["out"], &["OWNER", "REPO", "RUN_ID"]),
        "rerun" => (&["failed-only", "debug"], &["OWNER", "REPO", "RUN_ID"]),
        other => return Err(usage(format!("unknown command `{other}`"))),
    };
    for (index, (option, _)) in options.iter().enumerate() {
        if option != "base-url" && !accepted.contains(&option.as_str()) {
            return Err(usage(format!("`{name}` takes no --{option}")));
        }
        if options[..index].iter().any(|(seen, _)| seen == option) {
            return Err(usage(format!("--{option} given twice")));
        }
    }
    let value = |option: &str| options.iter().find(|(seen, _)| seen == option).and_then(|(_, value)| value.clone());
    let switch = |option: &str| options.iter().any(|(seen, _)| seen == option);
    if rest.len() != arguments.len() {
        return Err(usage(format!("`{name}` takes {}", arguments.join(" "))));
    }
    let (owner, repo) = (rest[0].clone(), rest[1].clone());
    let run_id = || run_id(rest.get(2).map_or("", String::as_str));
    let command = match name.as_str() {
        "list" => {
            let per_page = match value("per-page") {
                Some(text) => Some(
                    text.parse::<i64>()
                        .ok()
                        .filter(|n| (1..=100).contains(n))
                        .ok_or_else(|| usage(format!("--per-page must be a number from 1 to 100, not `{text}`")))?,
                ),
                None => None,
            };
            let options = ListOptions {
                workflow: value("workflow"),
                branch: value("branch"),
                status: value("status"),
                created: value("created"),
                per_page,
                all: switch("all"),
            };
            Command::List { owner, repo, options }
        }
        "get" => Command::Get { owner, repo, run_id: run_id()? },
        "cancel" => Command::Cancel { owner, repo, run_id: run_id()? },
        "logs" => {
            let out = value("out").ok_or_else(|| usage("`logs` needs --out FILE"))?;
            Command::Logs { owner, repo, run_id: run_id()?, out }
        }
        _ => Command::Rerun {
            owner,
            repo,
            run_id: run_id()?,
            failed_only: switch("failed-only"),
            debug: switch("debug"),
        },
    };
    Ok(Parsed::Run(Invocation { base_url: value("base-url"), command }))
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
        or_dash(run.status.as_ref().map(WorkflowRunStatus::as_str)),
        or_dash(run.conclusion.as_ref().map(WorkflowRunStatus::as_str)),
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

/// An environment variable's value, when it is set and not blank.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|value| value.trim().to_owned()).filter(|value| !value.is_empty())
}

/// The credentials the environment names: `GITHUB_TOKEN`, else a GitHub App
/// installation (all three of its variables), else none.
fn authenticate(builder: ClientBuilder) -> Result<ClientBuilder, Failure> {
    if let Some(token) = env("GITHUB_TOKEN") {
        return Ok(builder.token(token));
    }
    const APP: [&str; 3] = ["GITHUB_APP_ID", "GITHUB_APP_PRIVATE_KEY", "GITHUB_APP_INSTALLATION_ID"];
    let [app_id, key_path, installation] = APP.map(env);
    let (Some(app_id), Some(key_path), Some(installation)) = (app_id, key_path, installation) else {
        return match APP.iter().find(|name| env(name).is_some()) {
            Some(set) => {
                let missing: Vec<&str> = APP.iter().copied().filter(|name| env(name).is_none()).collect();
                Err(usage(format!("{set} is set, but not {}: a GitHub App needs all three", missing.join(" and "))))
            }
            None => Ok(builder),
        };
    };
    let installation_id =
        installation.parse::<u64>().ok().filter(|id| *id > 0).ok_or_else(|| {
            usage(format!("GITHUB_APP_INSTALLATION_ID must be a positive number, not `{installation}`"))
        })?;
    let pem = std::fs::read(&key_path)
        .map_err(|e| Failure::Key(format!("reading GITHUB_APP_PRIVATE_KEY `{key_path}`: {e}")))?;
    let app = GitHubApp::from_pem(app_id, pem)?;
    Ok(builder.token_source(app.installation(installation_id)))
}

async fn execute(invocation: Invocation) -> Result<(), Failure> {
    let mut builder = Client::builder();
    if let Some(base_url) = invocation.base_url {
        builder = builder.base_url(base_url);
    }
    let client = authenticate(builder)?.build()?;
    let actions = client.actions();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();

    match invocation.command {
        Command::List { owner, repo, options } => match &options.workflow {
            Some(workflow) => {
                let id = if !workflow.is_empty() && workflow.bytes().all(|b| b.is_ascii_digit()) {
                    let number =
                        workflow.parse::<i64>().map_err(|_| usage(format!("workflow id `{workflow}` is too large")))?;
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
                or_dash(run.status.as_ref().map(WorkflowRunStatus::as_str)),
                or_dash(run.conclusion.as_ref().map(WorkflowRunStatus::as_str)),
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
    let outcome = match parse(lexopt::Parser::from_env()) {
        Ok(Parsed::Help) => {
            let _ = writeln!(std::io::stdout(), "{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Parsed::Run(invocation)) => execute(invocation).await,
        Err(failure) => Err(failure),
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
        Err(Failure::Key(message)) => {
            eprintln!("error: {}", escape_controls(&message));
            ExitCode::FAILURE
        }
        Err(Failure::Output(error)) => {
            eprintln!("error: writing output: {error}");
            ExitCode::FAILURE
        }
    }
}
