"""A sandbox per student for grading kernels: bubblewrap (``bwrap``) namespaces plus a cgroup per student.

Inside the sandbox a student's kernel has no network (its own network namespace; it talks to the grader over
Unix sockets in a scratch folder), its own PID namespace (nothing it starts outlives it, and it cannot see or
signal the grader), a read-only view of the system and the kit, an empty ``/tmp``, ``/home`` and ``/root``, no
course folder (gradebook, source, release and other students are hidden; only a scratch copy of the student's
own folder is writable), a minimal environment and no capabilities. A cgroup caps memory, processes and CPU for
the student as a whole, not only per process. The deadline is enforced by the grader from outside.

``AIREG_SANDBOX``: ``on`` (default: refuse to grade if the sandbox cannot run) or ``off`` (the instructor's explicit
opt-out: grade without it). ``AIREG_SANDBOX_PIDS`` (default 128 tasks, threads included),
``AIREG_SANDBOX_MEMORY_MB`` (the whole student; default ``AIREG_KERNEL_MEMORY_MB``, 4096, which is also each
process's own limit) and ``AIREG_SANDBOX_CPUS`` (default 1).
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CGROUP_ROOT = Path("/sys/fs/cgroup")
PREFIX = "aireg-grading-"


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot run here; the message says why and what to do."""


HOW_TO_ENABLE = (
    "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) and allow unprivileged user namespaces "
    "(sysctl kernel.unprivileged_userns_clone=1 where that switch exists), or run grading as root in a container; "
    "on Kubernetes the grader pod needs a runtime that allows user namespaces (see assignments/README.md, "
    "'The grading sandbox'). To grade WITHOUT a sandbox, accepting that student code runs with your "
    "permissions, set AIREG_SANDBOX=off"
)


def memory_mb() -> int:
    """Memory for one student as a whole: ``AIREG_SANDBOX_MEMORY_MB``, else ``AIREG_KERNEL_MEMORY_MB`` (4096)."""
    return int(os.environ.get("AIREG_SANDBOX_MEMORY_MB") or os.environ.get("AIREG_KERNEL_MEMORY_MB", "4096"))


def wanted() -> bool:
    """False only when the instructor opted out explicitly (``AIREG_SANDBOX=off``)."""
    return os.environ.get("AIREG_SANDBOX", "on").strip().lower() not in ("off", "0", "no", "false")


@functools.lru_cache(maxsize=1)
def probe() -> str:
    """Empty if bwrap can build the sandbox here, else the reason it cannot."""
    bwrap = shutil.which("bwrap")
    if not bwrap:
        return "bubblewrap (bwrap) is not installed"
    try:
        proc = subprocess.run([bwrap, *_namespace_args(), "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev",
                               "--", "/bin/true"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bwrap could not start ({exc})"
    if proc.returncode != 0:
        return f"bwrap cannot create namespaces here ({proc.stderr.strip()[:200]})"
    return ""


def require() -> bool:
    """True if kernels will be sandboxed; raises ``SandboxUnavailable`` if wanted but impossible."""
    if not wanted():
        return False
    why = probe()
    if why:
        raise SandboxUnavailable(f"the grading sandbox cannot run: {why}. To enable it: {HOW_TO_ENABLE}.")
    return True


def _namespace_args() -> list[str]:
    # no --new-session: the kernel must stay in the launcher's process group, which receives the grader's
    # interrupt (per-cell timeout); the grading worker runs without a terminal, so there is none to inject into
    return ["--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534", "--die-with-parent",
            "--cap-drop", "ALL"]


def _own_cgroup(controller: str) -> Path | None:
    """This process's cgroup directory for a v1 ``controller``, or the v2 unified one (``controller=""``)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, names, path = line.split(":", 2)
        if (controller and controller in names.split(",")) or (not controller and names == ""):
            base = CGROUP_ROOT / controller if controller else CGROUP_ROOT
            return base / path.lstrip("/")
    return None


class StudentCgroup:
    """Memory, task and CPU limits for everything one student's kernel starts (cgroup v1, or v2 if delegated).

    ``procs`` are the ``cgroup.procs`` files a process writes its pid to (the kernel launcher does, before it
    executes bwrap, so every descendant is inside). ``limits`` says which limits hold.
    """

    def __init__(self, tag: str, memory_mb: int, pids: int, cpus: float) -> None:
        self.dirs: list[Path] = []
        self.limits: list[str] = []
        name = f"{PREFIX}{os.getpid()}-{tag}"
        unified = CGROUP_ROOT / "cgroup.controllers"
        if unified.exists():  # cgroup v2
            base = _own_cgroup("")
            if base and self._make(base / name):
                d = base / name
                for file, value, label in (("memory.max", memory_mb * 2**20, f"memory {memory_mb} MB"),
                                           ("memory.swap.max", 0, None), ("pids.max", pids, f"{pids} tasks"),
                                           ("cpu.max", f"{int(cpus * 100000)} 100000", f"{cpus:g} CPU")):
                    if self._write(d / file, value) and label:
                        self.limits.append(label)
            return
        for controller, settings in (
                ("memory", [("memory.limit_in_bytes", memory_mb * 2**20, f"memory {memory_mb} MB"),
                            ("memory.memsw.limit_in_bytes", memory_mb * 2**20, None)]),
                ("pids", [("pids.max", pids, f"{pids} tasks")]),
                ("cpu", [("cpu.cfs_period_us", 100000, None),
                         ("cpu.cfs_quota_us", int(cpus * 100000), f"{cpus:g} CPU")])):
            base = _own_cgroup(controller)
            if base is None or not self._make(base / name):
                continue
            for file, value, label in settings:
                if self._write(base / name / file, value) and label:
                    self.limits.append(label)

    def _make(self, d: Path) -> bool:
        try:
            d.mkdir()
        except FileExistsError:
            pass
        except OSError:
            return False
        self.dirs.append(d)
        return True

    @staticmethod
    def _write(path: Path, value) -> bool:
        try:
            path.write_text(str(value))
            return True
        except OSError:
            return False

    @property
    def procs(self) -> list[str]:
        return [str(d / "cgroup.procs") for d in self.dirs]

    def destroy(self) -> None:
        """Kill anything still inside, then remove the cgroups."""
        destroy_cgroups(self.dirs)


def destroy_cgroups(dirs) -> None:
    for d in dirs:
        for _ in range(50):
            try:
                pids = [int(p) for p in (d / "cgroup.procs").read_text().split()]
            except OSError:
                pids = []
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            try:
                d.rmdir()
                break
            except FileNotFoundError:
                break
            except OSError:  # busy until the killed processes are gone
                time.sleep(0.05)


def leftover_cgroups(pid: int | None = None) -> list[Path]:
    """Grading cgroups that exist, of one worker (``pid``) or of any."""
    found = []
    for controller in ("", "memory", "pids", "cpu"):
        base = _own_cgroup(controller)
        if base and base.is_dir():
            found += [d for d in base.glob(f"{PREFIX}{f'{pid}-' if pid else ''}*") if d.is_dir()]
    return found


def sweep(pid: int | None = None) -> int:
    """Remove the grading cgroups left by a killed worker (``pid``) or by any worker; returns how many."""
    found = leftover_cgroups(pid)
    destroy_cgroups(found)
    return len(found)


def hidden_paths(course: Path) -> list[Path]:
    """Folders a student's kernel must not see: the course (gradebook, source, release, other students), the
    kit's own assignments and git history (hidden tests), and any SQLite gradebook's folder."""
    out = [course.resolve(), REPO / "assignments", REPO / ".git"]
    url = os.environ.get("AIREG_GRADEBOOK_URL", "")
    if url.startswith("sqlite:///"):
        out.append(Path(url[len("sqlite:///"):]).resolve().parent)
    return [p for p in dict.fromkeys(out) if p.exists() and p != Path("/")]


def bwrap_command(cmd: list[str], *, scratch: Path, cwd: Path, course: Path) -> list[str]:
    """``cmd`` (the kernel) wrapped in bubblewrap: see the module docstring for what the sandbox allows."""
    args = [shutil.which("bwrap") or "bwrap", *_namespace_args(), "--ro-bind", "/", "/", "--proc", "/proc",
            "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/var/tmp", "--tmpfs", "/run", "--tmpfs", "/dev/shm"]
    empty = [h for h in ("/home", "/root") if Path(h).is_dir()]  # hidden behind empty, read-only folders
    for home in empty:
        args += ["--tmpfs", home]
    # the kit and its Python stay readable even if they live in a home folder
    for keep in dict.fromkeys([REPO, Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()]):
        if any(str(keep).startswith(h + "/") for h in ("/home", "/root", "/tmp", "/var/tmp")):
            args += ["--ro-bind", str(keep), str(keep)]
    for hide in hidden_paths(course):
        args += ["--tmpfs", str(hide)]
        empty.append(str(hide))
    args += ["--bind", str(scratch / "work"), str(cwd), "--bind", str(scratch / "run"), str(scratch / "run")]
    for path in empty:  # after the binds, whose mount points they hold; the binds stay writable
        args += ["--remount-ro", path]
    # ipykernel would watch its parent and stop at once: in its own PID namespace the parent is pid 1
    args += ["--chdir", str(cwd), "--setenv", "HOME", str(scratch / "run"), "--unsetenv", "JPY_PARENT_PID", "--"]
    return args + cmd


def kernel_env() -> dict[str, str]:
    """The minimal environment a sandboxed kernel gets (no instructor variables)."""
    return {"PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "agg",
            # one CPU and a task limit: numerical libraries must not start a thread per core
            "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def make_scratch(cwd: Path) -> Path:
    """A private scratch folder: ``work`` (a copy of the student's folder, mounted in its place) and ``run``
    (the kernel's sockets, connection file and home)."""
    scratch = Path(tempfile.mkdtemp(prefix="aireg-sandbox-"))
    shutil.copytree(cwd, scratch / "work", dirs_exist_ok=True)
    (scratch / "run").mkdir()
    for p in [scratch, *scratch.rglob("*")]:  # the kernel runs as nobody
        os.chmod(p, 0o777 if p.is_dir() else 0o666)
    return scratch
