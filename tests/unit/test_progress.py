"""The progress of a long run: a bar with N/M and time left on a terminal, plain lines in a log."""

import io

from pipelines.progress import CLEAR_LINE, Progress, clock_text


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_terminal_sees_one_bar_redrawn_with_n_of_m_and_the_time_left():
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, tty=True, clock=clock)
    progress.start("reading and loading", total=4, unit="documents")
    assert stream.getvalue() == CLEAR_LINE + "reading and loading: 0/4 documents [........................]   0%, " \
                                             "time left: …"
    clock.now += 30  # one document in 30 s: three more take about 1:30
    progress.advance()
    assert stream.getvalue().rsplit(CLEAR_LINE, 1)[1] == (
        "reading and loading: 1/4 documents [######..................]  25%, 1:30 left")
    printed = []
    progress.echo("published   a.pdf", printed.append)  # the bar is cleared, the line printed, the bar redrawn
    assert printed == ["published   a.pdf"]
    assert stream.getvalue().endswith(CLEAR_LINE + CLEAR_LINE + "reading and loading: 1/4 documents "
                                      "[######..................]  25%, 1:30 left")
    progress.close()
    assert stream.getvalue().endswith(CLEAR_LINE) and "\n" not in stream.getvalue()


def test_a_log_gets_plain_lines_only_when_a_step_runs_long():
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, tty=False, every=30, clock=clock)
    progress.start("crawl", unit="PDFs")
    clock.now += 5
    progress.advance()
    printed = []
    progress.echo("downloaded  http://x.gov.cn/1.pdf", printed.append)
    assert stream.getvalue() == "" and printed == ["downloaded  http://x.gov.cn/1.pdf"]  # a short step: nothing more
    clock.now += 65
    progress.advance()
    assert stream.getvalue() == "crawl: 2 PDFs so far, 1:10 elapsed\n"  # no bar, no carriage return
    assert "\r" not in stream.getvalue()


def test_clock_text():
    assert [clock_text(s) for s in (0, 42.4, 725, 3725)] == ["0:00", "0:42", "12:05", "1:02:05"]
