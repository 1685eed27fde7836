"""The write-ahead log left by a session that did not close cleanly: what it holds, and
whether SQLite will be able to replay all of it (a damaged frame stops the replay there,
silently dropping every answer committed after it)."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

WAL_HEADER = 32
FRAME_HEADER = 24
_MAGIC = (0x377F0682, 0x377F0683)  # little- and big-endian checksums


@dataclass(frozen=True)
class WalReport:
    frames: int  # whole frames in the file
    commits: int  # commit frames with the log's current salts
    replayable_commits: int  # those SQLite will replay (before the first bad frame)

    @property
    def intact(self) -> bool:
        return self.replayable_commits == self.commits

    @property
    def lost_commits(self) -> int:
        return self.commits - self.replayable_commits


def _checksum(data: bytes, s0: int, s1: int, big_endian: bool) -> tuple[int, int]:
    """SQLite's WAL checksum over `data` (a multiple of 8 bytes), continuing s0, s1."""
    words = struct.unpack((">" if big_endian else "<") + f"{len(data) // 4}I", data)
    for index in range(0, len(words), 2):
        s0 = (s0 + words[index] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[index + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def read_wal(path: Path) -> WalReport | None:
    """What a -wal file holds; None if it is absent, empty or has no valid header (SQLite then
    ignores it, and so may we)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    if len(data) < WAL_HEADER:
        return None
    magic, _version, page_size, _seq, salt1, salt2, check1, check2 = struct.unpack(
        ">8I", data[:WAL_HEADER]
    )
    if magic not in _MAGIC or page_size < 512 or page_size & (page_size - 1):
        return None
    big_endian = magic & 1 == 1
    if _checksum(data[:24], 0, 0, big_endian) != (check1, check2):
        return None  # a header SQLite would not trust: it ignores the whole log
    s0, s1 = check1, check2
    frame_size = FRAME_HEADER + page_size
    frames = (len(data) - WAL_HEADER) // frame_size
    commits = replayable = 0
    valid = True
    for number in range(frames):
        start = WAL_HEADER + number * frame_size
        header = data[start : start + FRAME_HEADER]
        _page, db_size, frame_salt1, frame_salt2, sum1, sum2 = struct.unpack(">6I", header)
        if (frame_salt1, frame_salt2) != (salt1, salt2):
            break  # frames of an earlier log generation: not this session's
        if valid:
            s0, s1 = _checksum(header[:8], s0, s1, big_endian)
            s0, s1 = _checksum(data[start + FRAME_HEADER : start + frame_size], s0, s1, big_endian)
            valid = (s0, s1) == (sum1, sum2)
        if db_size:
            commits += 1
            if valid:
                replayable += 1
    return WalReport(frames, commits, replayable)
