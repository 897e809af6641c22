"""Live progress for ``mcgw watch`` and ``mcgw sql --wait``, and the "reconnecting…" notices.

On a terminal a header line (instance, state, connection notices) sits above an overall bar and
one bar per stage, redrawn in place. The overall bar is the mean of the stages' percentages; it
turns green only when the instance succeeded, and red with FAILED when it did not. Labels have a
fixed-width column, so bars never shift. Off a terminal each event becomes one plain line (or
JSON, or nothing when the caller only wants the final result), so logs get no control codes.
"""

from __future__ import annotations

import json
from types import TracebackType
from typing import IO, Any

from rich.console import Console, Group
from rich.live import Live
from rich.progress import Progress, ProgressColumn, Task, TextColumn
from rich.progress_bar import ProgressBar
from rich.table import Column
from rich.text import Text

from ._cli_render import watch_event_json, watch_event_line
from ._errors import Unavailable
from ._models import WatchEvent

__all__ = ["Notices", "ProgressView", "overall_percentage", "stage_label"]

_RUNNING_STYLE = "cyan"
_SUCCESS_STYLE = "green"
_FAILURE_STYLE = "red"
_FAILURE_BACK_STYLE = "dark_red"
_LABEL_WIDTH = 32
_BAR_WIDTH = 32


def unreachable_text(target: str, attempt: int) -> str:
    """The notice shown while the gateway cannot be reached."""
    return f"gateway {target} unreachable — reconnecting… (attempt {attempt})"


def overall_percentage(stages: dict[tuple[str, str], int]) -> float:
    """The overall progress: the mean of the stages' finished percentages (0 without stages)."""
    if not stages:
        return 0.0
    return sum(stages.values()) / len(stages)


class Notices:
    """Connection notices of a command that shows no live view (``mcgw wait``): one line per
    attempt on stderr, redrawn in place on a terminal; JSON objects under ``--json``."""

    def __init__(self, err: IO[str], *, target: str, json_mode: bool) -> None:
        self._err = err
        self._target = target
        self._json = json_mode
        self._terminal = _isatty(err) and not json_mode
        self._open_line = False
        self.attempts = 0

    def reconnecting(self, attempt: int, error: Unavailable, delay: float) -> None:
        """``ReconnectPolicy.on_retry``: tells that the gateway is unreachable."""
        self.attempts += 1
        text = unreachable_text(self._target, attempt)
        if self._json:
            notice = {"notice": "RECONNECTING", "target": self._target, "attempt": attempt}
            self._err.write(json.dumps({**notice, "message": text}, ensure_ascii=False) + "\n")
        elif self._terminal:
            self._err.write(f"\r\x1b[2Kmcgw: {text}")
            self._open_line = True
        else:
            self._err.write(f"mcgw: {text}\n")
        self._err.flush()

    def close(self) -> None:
        """Ends an in-place line so that what follows starts on a fresh one."""
        if self._open_line:
            self._err.write("\n")
            self._err.flush()
            self._open_line = False


class _Header:
    """The line above the bars: instance id, state and the connection notice."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.status = ""
        self.notice = ""
        self.notice_style = "yellow"
        self.outcome = ""
        self.outcome_style = ""

    def __rich__(self) -> Text:
        text = Text(self.title, style="bold")
        if self.status:
            text.append(f"  {self.status}")
        if self.outcome:
            text.append(f"  {self.outcome}", style=self.outcome_style)
        if self.notice:
            text.append(f"  {self.notice}", style=self.notice_style)
        return text


class ProgressView:
    """Shows watch events: live bars on a terminal, plain (``lines=True``) or JSON
    (``json_lines=True``) lines otherwise, nothing off a terminal when both are false."""

    def __init__(
        self,
        out: IO[str],
        *,
        terminal: bool,
        lines: bool,
        title: str,
        target: str,
        json_lines: bool = False,
        notices: IO[str] | None = None,
    ) -> None:
        self._out = out
        self._terminal = terminal
        self._lines = lines
        self._json_lines = json_lines
        self._target = target
        self._header = _Header(title)
        self._live: Any = None
        self._progress: Any = None
        self._overall: Any = None
        self._bars: dict[tuple[str, str], Any] = {}
        self._stages: dict[tuple[str, str], int] = {}
        self.attempts = 0
        """How many reconnects were announced."""
        self._notices = (
            None if terminal else Notices(notices or out, target=target, json_mode=json_lines)
        )

    def __enter__(self) -> ProgressView:
        if not self._terminal:
            return self
        self._progress = Progress(
            _LabelColumn(),
            _BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TextColumn("{task.fields[detail]}"),
        )
        self._overall = self._progress.add_task(
            "overall", total=100, detail="", style=_RUNNING_STYLE
        )
        self._header.notice = f"connecting to {self._target}…"
        self._live = Live(
            Group(self._header, self._progress),
            console=Console(file=self._out),
            refresh_per_second=8,
            transient=False,
        )
        self._live.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._live is not None:
            self._live.stop()
        if self._notices is not None:
            self._notices.close()

    def reconnecting(self, attempt: int, error: Unavailable, delay: float) -> None:
        """``ReconnectPolicy.on_retry``: shows that the gateway is unreachable."""
        self.attempts += 1
        if self._notices is not None:
            self._notices.reconnecting(attempt, error, delay)
            return
        self._header.notice = unreachable_text(self._target, attempt)
        self._refresh()

    def _refresh(self) -> None:
        if self._live is not None:
            self._live.refresh()

    def update(self, event: WatchEvent) -> None:
        """Shows one event."""
        if not self._terminal:
            if self._json_lines:
                self._out.write(json.dumps(watch_event_json(event), separators=(",", ":")))
                self._out.write("\n")
            elif self._lines:
                self._out.write(watch_event_line(event) + "\n")
            self._out.flush()
            return
        progress = self._progress
        status = event.state.status.value if event.state.status else "?"
        self._header.status = status + (" (stale)" if event.stale else "")
        self._header.notice = ""
        for task_progress in event.progress:
            for stage in task_progress.stages:
                key = (task_progress.task_name, stage.name)
                self._stages[key] = stage.finished_percentage
                detail = (
                    f"{stage.running_workers} running "
                    f"{stage.terminated_workers}/{stage.total_workers} done"
                )
                label = stage_label(task_progress.task_name, stage.name)
                if key not in self._bars:
                    self._bars[key] = progress.add_task(label, total=100, detail="", style=None)
                progress.update(self._bars[key], completed=stage.finished_percentage, detail=detail)
        finished = sum(1 for pct in self._stages.values() if pct >= 100)
        progress.update(
            self._overall,
            completed=overall_percentage(self._stages),
            detail=f"{finished}/{len(self._stages)} stages done" if self._stages else "",
        )
        self._refresh()

    def finish(self, successful: bool) -> None:
        """Colours the end: green SUCCEEDED, or red FAILED with unfinished stages red too."""
        if not self._terminal:
            return
        progress = self._progress
        self._header.notice = ""
        if successful:
            self._header.outcome, self._header.outcome_style = "SUCCEEDED", _SUCCESS_STYLE
            progress.update(self._overall, completed=100, style=_SUCCESS_STYLE, detail="SUCCEEDED")
        else:
            self._header.outcome, self._header.outcome_style = "FAILED", _FAILURE_STYLE
            progress.update(
                self._overall, style=_FAILURE_STYLE, detail=f"[bold {_FAILURE_STYLE}]FAILED[/]"
            )
            for key, task_id in self._bars.items():
                if self._stages.get(key, 0) < 100:
                    progress.update(task_id, style=_FAILURE_STYLE)
        self._refresh()


def stage_label(task_name: str, stage: str, width: int = _LABEL_WIDTH) -> str:
    """``TASK STAGE`` in at most ``width`` characters, shortening the task name (the stage id is
    what tells the bars apart)."""
    label = f"{task_name} {stage}"
    if len(label) <= width:
        return label
    room = width - len(stage) - 2
    if room < 1:
        return stage[: width - 1] + "…"
    return f"{task_name[:room]}… {stage}"


class _LabelColumn(ProgressColumn):
    """The label column at a fixed width, so bars never move."""

    def get_table_column(self) -> Column:
        return Column(width=_LABEL_WIDTH, no_wrap=True, overflow="ellipsis")

    def render(self, task: Task) -> Text:
        return Text(str(task.description))


class _BarColumn(ProgressColumn):
    """A bar whose colour follows the task's ``style`` field (cyan while running, green for
    success, red for failure); rich's own turns green at 100% whatever happened."""

    def get_table_column(self) -> Column:
        return Column(width=_BAR_WIDTH, no_wrap=True)

    def render(self, task: Task) -> ProgressBar:
        style = task.fields.get("style")
        if style is None:
            style = _SUCCESS_STYLE if task.completed >= 100 else _RUNNING_STYLE
        back = _FAILURE_BACK_STYLE if style == _FAILURE_STYLE else "bar.back"
        return ProgressBar(
            total=max(task.total or 100, 1),
            completed=task.completed,
            width=_BAR_WIDTH,
            style=back,
            complete_style=style,
            finished_style=style,
            animation_time=task.get_time(),
        )


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
