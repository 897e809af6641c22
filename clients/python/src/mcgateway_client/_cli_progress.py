"""Live stage progress for ``mcgw watch`` and ``mcgw sql --wait``: one rich bar per stage.

On a terminal the bars redraw in place; elsewhere each event becomes one plain line (or nothing,
when the caller only wants the final result), so logs never receive control codes.
"""

from __future__ import annotations

from types import TracebackType
from typing import IO, Any

from ._cli_render import watch_event_line
from ._models import WatchEvent

__all__ = ["ProgressView"]


class ProgressView:
    """Shows watch events: live bars on a terminal, plain lines (``lines=True``) otherwise."""

    def __init__(self, out: IO[str], *, terminal: bool, lines: bool, title: str) -> None:
        self._out = out
        self._terminal = terminal
        self._lines = lines
        self._title = title
        self._progress: Any = None
        self._status_task: Any = None
        self._bars: dict[tuple[str, str], Any] = {}

    def __enter__(self) -> ProgressView:
        if self._terminal:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TextColumn("{task.fields[workers]}"),
                console=Console(file=self._out),
                transient=False,
            )
            self._progress.start()
            self._status_task = self._progress.add_task(f"{self._title} …", total=None, workers="")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self, event: WatchEvent) -> None:
        """Shows one event."""
        if not self._terminal:
            if self._lines:
                self._out.write(watch_event_line(event) + "\n")
                self._out.flush()
            return
        progress = self._progress
        status = event.state.status.value if event.state.status else "?"
        stale = " (stale)" if event.stale else ""
        progress.update(
            self._status_task,
            description=f"{self._title} {status}{stale}",
            total=1,
            completed=1 if event.state.terminated else 0,
        )
        for task_progress in event.progress:
            for stage in task_progress.stages:
                key = (task_progress.task_name, stage.name)
                workers = (
                    f"{stage.running_workers} running "
                    f"{stage.terminated_workers}/{stage.total_workers} done"
                )
                if key not in self._bars:
                    self._bars[key] = progress.add_task(
                        f"  {task_progress.task_name} {stage.name}", total=100, workers=workers
                    )
                progress.update(
                    self._bars[key], completed=stage.finished_percentage, workers=workers
                )
