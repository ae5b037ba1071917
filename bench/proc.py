"""A process tree's memory, read from /proc (Linux): for the benchmarks' peak-RSS figures."""

from pathlib import Path


def process_tree(pid: int) -> list[int]:
    """`pid` and every process under it (the workers are grandchildren, forked from a server process)."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return [pid] + [p for c in children for p in process_tree(c)]


def status_mb(pid: int, field: str) -> float:
    """A memory figure of /proc/PID/status in MB: VmHWM (the peak RSS the kernel keeps), VmRSS (now); 0 for
    a process that has ended."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0
