//! Real git servers on 127.0.0.1 for the tests: `git daemon` and smart HTTP
//! (`git http-backend` behind Python's CGI server), stopped when dropped.

use std::fs;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::git;

/// A server process on a port of 127.0.0.1, stopped when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
}

/// A free port of 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Server {
    /// Starts `program` with `{port}` in its arguments replaced by `port`,
    /// and waits until it listens.
    pub fn start_on(program: &Path, args: &[String], cwd: &Path, port: u16) -> Server {
        let args: Vec<String> = args
            .iter()
            .map(|a| a.replace("{port}", &port.to_string()))
            .collect();
        let child = Command::new(program)
            .args(&args)
            .current_dir(cwd)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{} starts: {e}", program.display()));
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{} did not listen",
                program.display()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Server { child, port }
    }

    /// `git daemon` serving the bare repos under `<dir>/srv` on `port`,
    /// accepting pushes when `push`.
    pub fn git_daemon_on(dir: &Path, port: u16, push: bool) -> Server {
        // git-daemon itself, not `git daemon`, which would run it as a child
        // that killing `git` leaves listening.
        let exec_path = git(dir, &["--exec-path"]);
        let srv = dir.join("srv");
        fs::create_dir_all(&srv).unwrap();
        let mut args = vec![
            "--reuseaddr".to_string(),
            "--export-all".into(),
            "--listen=127.0.0.1".into(),
            "--port={port}".into(),
            format!("--base-path={}", srv.display()),
        ];
        if push {
            args.push("--enable=receive-pack".into());
        }
        args.push(srv.display().to_string());
        Server::start_on(
            &Path::new(exec_path.trim()).join("git-daemon"),
            &args,
            dir,
            port,
        )
    }

    /// `git daemon` serving `<dir>/srv` on a free port, read-only.
    pub fn git_daemon(dir: &Path) -> Server {
        Server::git_daemon_on(dir, free_port(), false)
    }

    /// The git:// URL of `<dir>/srv/pack.git`.
    pub fn git_url(&self) -> String {
        format!("git://127.0.0.1:{}/pack.git", self.port)
    }

    /// Python's CGI server in front of `git http-backend`: smart HTTP serving
    /// (and accepting pushes to) `<dir>/srv`, at
    /// `http://127.0.0.1:PORT/cgi-bin/git/REPO`.
    pub fn smart_http(dir: &Path) -> Server {
        use std::os::unix::fs::PermissionsExt;
        // Python runs CGI scripts as nobody when it runs as root.
        for d in [dir.to_path_buf(), dir.join("srv")] {
            fs::create_dir_all(&d).unwrap();
            fs::set_permissions(&d, fs::Permissions::from_mode(0o755)).unwrap();
        }
        let cgi = dir.join("www/cgi-bin");
        fs::create_dir_all(&cgi).unwrap();
        fs::write(
            cgi.join("git"),
            format!(
                "#!/bin/sh\nexport GIT_PROJECT_ROOT={} GIT_HTTP_EXPORT_ALL=1\nexport GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=safe.directory GIT_CONFIG_VALUE_0='*' GIT_CONFIG_KEY_1=http.receivepack GIT_CONFIG_VALUE_1=true\nexec git http-backend\n",
                dir.join("srv").display()
            ),
        )
        .unwrap();
        fs::set_permissions(cgi.join("git"), fs::Permissions::from_mode(0o755)).unwrap();
        // Pushes run as nobody too: the repos must be writable by all.
        Command::new("chmod")
            .args(["-R", "a+rwX"])
            .arg(dir.join("srv"))
            .arg(dir.join("www"))
            .status()
            .unwrap();
        let args = [
            "-m",
            "http.server",
            "--cgi",
            "{port}",
            "--bind",
            "127.0.0.1",
        ]
        .map(String::from);
        Server::start_on(Path::new("python3"), &args, &dir.join("www"), free_port())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
