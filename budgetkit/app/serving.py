"""Starting Voilà and JupyterLab for ``budgetkit app`` / ``budgetkit lab``: on this machine, offline, and
ended with the wrapper (a SIGTERM to ``budgetkit`` reaches the server, which shuts its kernels down)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

NOTEBOOK = Path(__file__).with_name("app.ipynb")
SHARE = Path(__file__).with_name("share")  # share/voila/templates/budgetkit: Voilà's lab template, no CDN links
#: a Jupyter config folder whose labconfig/page_config.json disables JupyterLab's announcements plugin: no
#: news prompt over the notebooks' output, nothing fetched from the internet
LAB_CONFIG = SHARE / "lab"


def voila_command(port: int = 8866, extra: list[str] | None = None) -> tuple[list[str], dict]:
    """The Voilà command line and environment for the app (used by :func:`serve` and the browser test)."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join([str(SHARE)] + [p for p in [env.get("JUPYTER_PATH")] if p])
    cmd = [sys.executable, "-m", "voila", str(NOTEBOOK), f"--port={port}", "--Voila.ip=127.0.0.1",
           "--template=budgetkit", "--theme=light", "--show_tracebacks=False"] + list(extra or [])
    return cmd, env


def lab_command(root: Path, port: int, extra: list[str], as_root: bool) -> tuple[list[str], dict]:
    """JupyterLab at ``root`` with the news prompt and update check off; other options passed unchanged."""
    env = dict(os.environ)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join([str(LAB_CONFIG)] + [p for p in [env.get("JUPYTER_CONFIG_PATH")]
                                                                      if p])
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}", f"--port={port}",
           "--ServerApp.ip=127.0.0.1", "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if as_root and "--allow-root" not in extra:
        cmd.append("--allow-root")  # classroom containers run as root; Jupyter refuses without it
    return cmd + list(extra), env


def run_forwarding(cmd: list[str], env: dict | None = None, cwd: str | None = None) -> int:
    """Run ``cmd`` and pass SIGTERM, SIGHUP and SIGINT on to it: the server then shuts down its kernels, where a
    wrapper killed outright would leave them running."""
    proc = subprocess.Popen(cmd, env=env, cwd=cwd)
    forwarded = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None), signal.SIGINT) if s]
    saved = {}

    def forward(signum, _frame):
        try:
            proc.send_signal(signum)
        except ProcessLookupError:
            pass

    for s in forwarded:
        try:
            saved[s] = signal.signal(s, forward)
        except (ValueError, OSError):  # not the main thread: signals stay as they are
            pass
    try:
        while True:
            try:
                code = proc.wait()
                return 128 - code if code < 0 else code  # ended by a signal: the shell's 128 + n
            except KeyboardInterrupt:  # a second Ctrl+C while the server shuts down
                continue
    finally:
        for s, h in saved.items():
            signal.signal(s, h)


def serve(port: int = 8866, extra: list[str] | None = None) -> int:
    """Run Voilà on the app notebook (offline, on this machine); other options go to Voilà unchanged."""
    cmd, env = voila_command(port, extra)
    print(f"budgetkit app → http://127.0.0.1:{port}/  (Ctrl+C 结束 / to stop)", file=sys.stderr)
    return run_forwarding(cmd, env=env, cwd=str(NOTEBOOK.parent))
