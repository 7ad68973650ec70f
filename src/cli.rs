//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// folio writes working starter repos for the portfolio projects and weekly
/// exercises of the backend training plans: Rails, FastAPI and Express
/// services with tests, linters, Dockerfiles, compose, CI, and a README whose
/// checklists are the project's requirements.
#[derive(Debug, Parser)]
#[command(name = "folio", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Layer a template pack over the built-in templates: a folder laid out
    /// like folio's templates/, or a git URL (https://, ssh://, git://,
    /// file://) with an optional #TAG, #BRANCH or #COMMIT, fetched into
    /// ~/.cache/folio/packs and pinned to a commit.
    #[arg(long, global = true, value_name = "DIR|URL", env = "FOLIO_TEMPLATES")]
    pub templates: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new project (asks what it needs in a terminal; see the flags for scripts).
    #[command(after_help = NEW_EXAMPLES)]
    New(NewArgs),
    /// List the portfolio projects and the plans' weeks folio can generate.
    List {
        /// Print JSON instead of text (shape in README.md, "JSON output").
        #[arg(long)]
        json: bool,
    },
    /// Prove a generated repo works: each service's setup, lint and tests (from
    /// its stack.toml), then hadolint, zizmor, the workflow and compose schemas
    /// and yamllint on the whole repo. Exits non-zero on any failure.
    Verify {
        /// The folder `folio new` created [default: the current folder].
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Only these services (repeatable); infrastructure checks always run.
        #[arg(long, value_name = "SERVICE")]
        only: Vec<String>,
        /// Run the services' setup, lint and test commands inside this root
        /// file system (chroot, needs root), e.g. a Debian trixie made with
        /// debootstrap to test with its Ruby and Rails. The project must be
        /// inside it. Infrastructure linters still run on this machine.
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Print the results as one JSON object instead of the table (shape
        /// in README.md, "JSON output"); progress still goes to stderr.
        #[arg(long)]
        json: bool,
        /// Then run the services: migrate and start each with its stack's
        /// commands on a free port, and check /health/live, /health/ready
        /// and (with several services) /health/peers; every service is
        /// stopped at the end. Uses DATABASE_URL and REDIS_URL when set.
        #[arg(long, conflicts_with = "root")]
        serve: bool,
    },
    /// Bring a generated repo up to date with the current templates, or with
    /// changed answers (`--with redis`), by a 3-way merge with what folio
    /// rendered last time: files you did not touch take the new version,
    /// files you changed keep your changes, overlapping changes get conflict
    /// markers (exit status 3). The work tree must be clean; the result is
    /// left uncommitted for review unless --commit.
    #[command(after_help = UPDATE_EXAMPLES)]
    Update(UpdateArgs),
    /// Work on a template pack: start one, or check that it renders every option.
    Pack {
        #[command(subcommand)]
        command: PackCommand,
    },
    /// Show what a spec (or a week, e.g. `intensive-week-5`) would generate.
    Show {
        /// A spec id from `folio list`, or a week id like `standard-week-3`.
        #[arg(value_parser = crate::completions::SpecIds, hide_possible_values = true)]
        spec: String,
        /// Print JSON instead of text (shape in README.md, "JSON output").
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script (completes subcommands, flags, and spec
    /// and week ids). Install: see README.md, "Shell completions and man page".
    Completions {
        /// bash, zsh, fish, powershell or elvish.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write man pages: folio's on stdout, or folio.1 and one page per
    /// subcommand (folio-new.1, ...) into DIR.
    Man {
        /// The folder to write the pages into (created if missing).
        dir: Option<PathBuf>,
    },
    /// Show a generated repo's progress: for each checklist section of its
    /// README, the items checked of the total and the items added or removed
    /// compared with what folio wrote, and the date of the last commit.
    Status(StatusArgs),
    /// Run a bootcamp cohort: one repo per learner of a roster, pushed to
    /// a git server, and everyone's progress at a glance.
    #[command(after_help = COHORT_EXAMPLES)]
    Cohort {
        #[command(subcommand)]
        command: CohortCommand,
    },
    /// Check this machine has what a generated repo needs: git, each stack's
    /// tools (Python 3 with venv and pip, Node and npm, Ruby and Bundler), the
    /// Docker client and the linters `folio verify` runs; with the install
    /// command for this OS of each missing one. Servers named by DATABASE_URL
    /// or REDIS_URL (environment or the repo's .env) must be reachable.
    /// Exit status 1 when anything needed is missing.
    Doctor {
        /// A repo `folio new` created: check what its stacks need
        /// [default: what every stack needs].
        dir: Option<PathBuf>,
        /// Print a JSON array of {tool, needed_by, found, version, install}.
        #[arg(long)]
        json: bool,
    },
}

const NEW_EXAMPLES: &str = "\
Examples:
  folio new                                      ask everything (in a terminal)
  folio new ecommerce-api                        ask the rest about this project
  folio new ecommerce-api shop --stack fastapi --db sqlite --yes
  folio new --plan intensive --week 5 --yes      that week's starter
  folio new --answers old/.folio/answers.toml copy   same answers again
  folio new ecommerce-api --dry-run --yes        show the files, write nothing
  folio new ecommerce-api --dry-run --origins --yes   ...and the template of each

With no terminal (CI, scripts) folio never waits for input: a question that
needs an answer fails at once, naming the flag to pass; --yes takes the
defaults for everything not given.";

const UPDATE_EXAMPLES: &str = "\
Examples:
  folio update                       newer templates, same answers
  folio update --with redis,jobs     the week adds Redis and background jobs
  folio update --dry-run --diff      what would change, as a patch
  folio update --templates ../pack --commit

Secrets in .env files are never regenerated or overwritten. Exit status:
0 done, 3 done with conflicts to resolve, 2 bad input, 1 failure.";

const COHORT_EXAMPLES: &str = "\
Examples:
  folio cohort new roster.csv --plan intensive --week 3 \\
      --remote 'git@git.example.org:cohort-7/{learner}-{project}.git'
  folio cohort new roster.csv ecommerce-api --answers answers.toml --out repos
  folio cohort status roster.csv --remote 'https://git.example.org/c7/{learner}-{project}.git' \\
      --project intensive-week-3 --html report.html --verify

The roster is CSV with a header: an id column (id, github, login, handle or
username), a name column (name, display_name or full_name) and optionally
email. URL templates take {learner}, {project} and {week}.";

/// Arguments of `folio status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The repo `folio new` created [default: the current folder].
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Also run `folio verify` on it and report the result.
    #[arg(long)]
    pub verify: bool,
    /// Print JSON instead of text (shape in README.md, "JSON output").
    #[arg(long)]
    pub json: bool,
}

/// `folio cohort ...`.
#[derive(Debug, Subcommand)]
pub enum CohortCommand {
    /// Create one repo per learner of ROSTER, with the same answers, each
    /// greeting its learner, and push each to its remote (or write them
    /// under --out). Idempotent: a learner whose remote already has a
    /// history is skipped, never force-pushed.
    New(CohortNewArgs),
    /// Fetch every learner's repo (in parallel, into a cache) and show each
    /// one's progress, sorted by progress; optionally verify each repo and
    /// write CSV, JSON and a self-contained HTML report.
    Status(CohortStatusArgs),
}

/// Arguments of `folio cohort new`.
#[derive(Debug, Args)]
pub struct CohortNewArgs {
    /// The roster: CSV with a header (id, name, optional email).
    pub roster: PathBuf,
    /// The project: a spec id (e.g. ecommerce-api) or a week id (e.g. intensive-week-5).
    #[arg(value_parser = crate::completions::SpecIds, hide_possible_values = true)]
    pub spec: Option<String>,
    /// A training plan (standard or intensive); use with --week.
    #[arg(long)]
    pub plan: Option<String>,
    /// The week of --plan.
    #[arg(long, requires = "plan")]
    pub week: Option<u32>,
    /// Where each learner's repo goes: a git URL with {learner}, {project}
    /// and {week} (file://, git://, ssh://, https://, or user@host:path).
    #[arg(long, value_name = "URL-TEMPLATE", required_unless_present = "out")]
    pub remote: Option<String>,
    /// Write the repos into this folder (one subfolder per learner) instead
    /// of pushing them.
    #[arg(long, value_name = "DIR", conflicts_with = "remote")]
    pub out: Option<PathBuf>,
    /// The answers every learner's repo gets (the shape of a generated
    /// .folio/answers.toml) [default: the project's defaults]; the flags
    /// below win over it.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    #[command(flatten)]
    pub choices: Choices,
    /// Learners worked on at a time.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
    /// Print the summary as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `folio cohort status`.
#[derive(Debug, Args)]
pub struct CohortStatusArgs {
    /// The roster: CSV with a header (id, name, optional email).
    pub roster: PathBuf,
    /// Where each learner's repo is: the URL template `cohort new` used.
    #[arg(long, value_name = "URL-TEMPLATE")]
    pub remote: String,
    /// The project, for {project} and {week} in the URL template: a spec id
    /// or a week id (e.g. intensive-week-3).
    #[arg(long, value_name = "SPEC")]
    pub project: Option<String>,
    /// Also run `folio verify` on each repo (autograding).
    #[arg(long)]
    pub verify: bool,
    /// Repos fetched (and verified) at a time.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
    /// Write a self-contained HTML report (charts of progress per learner
    /// and per checklist section) to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Write the table as CSV to FILE.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Print JSON instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Flag learners with no commit for this many days.
    #[arg(long, default_value_t = 7, value_name = "DAYS")]
    pub stale_days: u32,
    /// Where the learners' repos are cloned [default: ~/.cache/folio/cohorts].
    #[arg(long, value_name = "DIR", env = "FOLIO_COHORT_CACHE")]
    pub cache: Option<PathBuf>,
}

/// `folio pack ...`.
#[derive(Debug, Subcommand)]
pub enum PackCommand {
    /// Write a starter pack with a commented example of each extension point
    /// (override a file, override a partial, add a spec, add a plan's week).
    New {
        /// The folder to create (must not exist, or be empty).
        dir: PathBuf,
    },
    /// Load a pack, then render every spec x offered stack x database x
    /// feature set in process (strict: a missing value is an error naming the
    /// template and the combination) and parse every JSON, YAML and TOML file
    /// written. Prints a table; exits non-zero on any failure.
    Check {
        /// The pack: a folder, or a git URL with an optional #REV.
        pack: PathBuf,
        /// Print each combination's result as JSON.
        #[arg(long)]
        json: bool,
        /// Only these specs or weeks (repeatable).
        #[arg(long, value_name = "SPEC")]
        spec: Vec<String>,
        /// Also generate each combination and run `folio verify` on it (its
        /// stack's setup, lint and tests, and the infrastructure linters).
        #[arg(long)]
        verify: bool,
        /// Verifications at a time, with --verify.
        #[arg(long, default_value_t = 2, requires = "verify")]
        jobs: usize,
        /// Also write a GitHub Actions workflow to FILE that runs each
        /// combination as one job (`github-actions` is the only format).
        #[arg(long, num_args = 2, value_names = ["FORMAT", "FILE"])]
        emit: Vec<String>,
        /// With --emit: the command that installs folio on the runner.
        #[arg(
            long,
            default_value = "cargo install --locked folio",
            value_name = "COMMAND"
        )]
        folio_install: String,
    },
}

/// Arguments of `folio update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The repo `folio new` created [default: the current folder].
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Switch features on, comma-separated (e.g. redis,jobs).
    #[arg(long = "with", value_name = "FEATURES", value_delimiter = ',')]
    pub with: Vec<String>,
    /// Switch features off, comma-separated.
    #[arg(long, value_name = "FEATURES", value_delimiter = ',')]
    pub without: Vec<String>,
    /// Another database (what the project and its stacks offer).
    #[arg(long, value_name = "DB")]
    pub db: Option<String>,
    /// Another stack for a service: `SERVICE=STACK`. Repeatable.
    #[arg(long, value_name = "SERVICE=STACK", value_delimiter = ',')]
    pub stack: Vec<String>,
    /// Commit the result (with the new pristine output as a second parent).
    #[arg(long)]
    pub commit: bool,
    /// Print what would change and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// With --dry-run: print the patch too.
    #[arg(long, requires = "dry_run")]
    pub diff: bool,
    /// Print the summary as JSON (updated, merged, conflicted, added, removed, kept, renamed).
    #[arg(long)]
    pub json: bool,
}

/// The stack, database and features of a project (`folio new`, `folio
/// cohort new`).
#[derive(Debug, Args)]
pub struct Choices {
    /// Stack of a service: `fastapi`, or `SERVICE=STACK` when a project has several services. Repeatable.
    #[arg(long, value_name = "[SERVICE=]STACK", value_delimiter = ',')]
    pub stack: Vec<String>,
    /// Database: postgresql, mysql, sqlite or mongodb (what the project and its stacks offer; see `folio show`).
    #[arg(long, value_name = "DB")]
    pub db: Option<String>,
    /// Optional features, comma-separated (e.g. redis,jobs), or `none`.
    #[arg(long = "with", value_name = "FEATURES", value_delimiter = ',')]
    pub with: Option<Vec<String>>,
}

/// Arguments of `folio new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The project: a spec id from `folio list` (e.g. ecommerce-api) or a week id (e.g. intensive-week-5).
    #[arg(value_parser = crate::completions::SpecIds, hide_possible_values = true)]
    pub spec: Option<String>,

    /// Folder to create [default: ./NAME]. Must not exist, or be empty.
    pub dir: Option<PathBuf>,

    /// A training plan (standard or intensive); use with --week. The one
    /// positional argument is then DIR.
    #[arg(long)]
    pub plan: Option<String>,

    /// The week of --plan to start.
    #[arg(long, requires = "plan")]
    pub week: Option<u32>,

    #[command(flatten)]
    pub choices: Choices,

    /// Project name: lowercase letters, digits, hyphens [default: the spec's].
    #[arg(long)]
    pub name: Option<String>,

    /// One-line description for the README and package metadata [default: the spec's summary].
    #[arg(long)]
    pub description: Option<String>,

    /// Read answers from a TOML file (the shape of a generated .folio/answers.toml); flags win over it.
    /// A lone positional argument that is not a spec id is then DIR.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,

    /// Accept the default for every question not answered by a flag; skip the confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Print the files that would be written, with sizes, and write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// With --dry-run: show the template (built-in path or pack file) that
    /// writes each file, to find the one to override in a template pack.
    #[arg(long, requires = "dry_run")]
    pub origins: bool,

    /// Do not create a git repository.
    #[arg(long)]
    pub no_git: bool,
}
