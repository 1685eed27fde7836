"""The Study Settings dialog's FSRS part: Optimize (fit the parameters to the learner's own
reviews) and Workload vs Retention (what each desired retention costs)."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEventLoop, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from studyapp.study.optimize import OptimizeResult
    from studyapp.study.workload import Workload

T = TypeVar("T")
SHOW_AFTER_S = 0.5  # a quicker job shows no busy dialog

MISSING_ENGINE = (
    "The FSRS optimizer is not installed (the fsrs-rs-python package). Install it with "
    "`pip install fsrs-rs-python` and open Study Settings again."
)


@dataclass(frozen=True)
class FsrsTools:
    """What the section asks the collection for (Collection.optimize_parameters, .workload)."""

    optimize: Callable[[], OptimizeResult]
    workload: Callable[[], Workload]


def run_with_progress(parent: QWidget, text: str, work: Callable[[], T]) -> T:
    """work() on a worker thread behind a busy dialog (after half a second), the window
    painting meanwhile but taking no input (a second Optimize, or OK, while the first runs would
    act on a half-done job); its result, or what it raised. (The engine's fit holds Python's
    lock while it runs, so the window pauses then; reading and converting the log do not.)"""
    progress = QProgressDialog(text, "", 0, 0, parent)
    progress.setObjectName("fsrsProgress")
    progress.setWindowTitle("Study Settings")
    progress.setCancelButton(None)  # the engine cannot be interrupted
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.hide()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=1) as pool:
        job = pool.submit(work)
        try:
            while True:
                try:
                    return job.result(timeout=0.03)
                except FuturesTimeout:
                    if not progress.isVisible() and time.monotonic() - started > SHOW_AFTER_S:
                        progress.show()
                    QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        finally:
            progress.reset()
            progress.deleteLater()


def describe_parameters(parameters: tuple[float, ...]) -> str:
    if not parameters:
        return "FSRS parameters: the defaults."
    return (
        "FSRS parameters: fitted to your reviews ("
        + ", ".join(f"{value:.3f}" for value in parameters[:4])
        + ", …)."
    )


class FsrsSection(QWidget):
    """Shows which parameters are in use; Optimize proposes fitted ones if they are better."""

    parametersChosen = Signal(object)  # tuple[float, ...]: () for the defaults
    workloadRequested = Signal()

    def __init__(
        self, tools: FsrsTools, parameters: tuple[float, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("fsrsSection")
        self._tools = tools
        self.parameters_label = QLabel(describe_parameters(parameters), self)
        self.parameters_label.setObjectName("fsrsParameters")
        self.result_label = QLabel(self)
        self.result_label.setObjectName("optimizeResult")
        self.result_label.setAccessibleName("Optimize result")
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.result_label.hide()
        self.optimize_button = QPushButton("&Optimize", self)
        self.optimize_button.setObjectName("optimizeButton")
        self.optimize_button.setToolTip(
            "Fit FSRS's 21 parameters to your own review history (as Anki's Optimize)"
        )
        self.optimize_button.clicked.connect(self.optimize)
        self.defaults_button = QPushButton("Use De&faults", self)
        self.defaults_button.setObjectName("defaultParametersButton")
        self.defaults_button.setEnabled(bool(parameters))
        self.defaults_button.clicked.connect(self._use_defaults)
        self.workload_button = QPushButton("&Workload vs Retention…", self)
        self.workload_button.setObjectName("workloadButton")
        self.workload_button.setToolTip(
            "Simulate the next year of your cards at each desired retention"
        )
        self.workload_button.clicked.connect(self.workloadRequested)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.optimize_button, self.defaults_button, self.workload_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.parameters_label)
        layout.addLayout(buttons)
        layout.addWidget(self.result_label)

    def optimize(self) -> OptimizeResult | None:
        """Fit and evaluate; a better fit is proposed (OK saves it), a worse one is not."""
        try:
            result = run_with_progress(self, "Fitting FSRS to your reviews…", self._tools.optimize)
        except ImportError:
            self._say(MISSING_ENGINE)
            return None
        self._say(result.summary())
        if result.better and result.fitted_parameters is not None:
            self._choose(result.fitted_parameters)
        return result

    def _use_defaults(self) -> None:
        self._choose(())
        self._say("FSRS's default parameters will be used: press OK to keep this.")

    def _choose(self, parameters: tuple[float, ...]) -> None:
        self.parameters_label.setText(describe_parameters(parameters))
        self.defaults_button.setEnabled(bool(parameters))
        self.parametersChosen.emit(parameters)

    def _say(self, text: str) -> None:
        self.result_label.setText(text)
        self.result_label.show()
        window = self.window()
        if window is not self:  # the dialog grows to hold the message, hints unsquashed
            window.adjustSize()

    def result_text(self) -> str:
        return "" if self.result_label.isHidden() else self.result_label.text()
