"""The shell blocks of README.md and docs/admin-guide.md run as written (issue 16).

Each document's blocks run in order, in one bash session (`bash -euo pipefail`, as a user would
type them into one terminal: variables and `cd` carry over from block to block), in a temporary
directory that holds a copy of docs/examples/, against a real parleyd on 127.0.0.1 and a free port
with `parley` and `parleyd` on PATH. The session gets what a reader sets up before the first block:
PARLEY_SERVER and PARLEY_API_KEY (an ADMIN key of a fresh database), and an EDITOR that makes the
admin guide's example edit. Every block and every command is bounded by a timeout.

The convention, checked here as well:

- ```sh (or ```bash) blocks run; a failing command fails the test.
- ```console blocks are transcripts: `$ ` starts a command (a trailing `\\` continues it on the
  next line), and the lines up to the next `$ ` are its output (stdout and stderr), compared after
  ids (`tnt_01M8...`), key ids and timestamps are masked and runs of spaces are collapsed; `...` in
  an output line stands for any text. A command that fails must be followed by `$ echo $?`
  showing its status. An output that ends with `^C` is a command that runs until interrupted: it is
  sent SIGINT, like Ctrl-C, once the output above `^C` has appeared.
- `<!-- not-run: REASON -->` on the line before a shell block skips it (a server that runs until
  stopped, a placeholder for your own key, system paths); keep them few, each with its reason.
- `<!-- file: docs/examples/NAME -->` before a block says the block shows that committed file, and
  it must be the same text.
- `<!-- output-of: COMMAND -->` before a block says it is what COMMAND prints once the document's
  blocks have run; lines `...` or `# ...` stand for any number of lines.

Run:  PARLEY_BIN_DIR=<dir with parley and parleyd> python3 -m pytest -q protocol/tests/test_docs_shell.py
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import queue
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

import harness

REPO = harness.PROTOCOL_DIR.parent
DOCUMENTS = ["README.md", "docs/admin-guide.md"]
EXAMPLES = REPO / "docs" / "examples"

RUN_LANGUAGES = {"sh", "bash"}
TRANSCRIPT_LANGUAGES = {"console"}
SHELL_LANGUAGES = RUN_LANGUAGES | TRANSCRIPT_LANGUAGES | {"shell", "zsh"}

#: Seconds one block (or one transcript command) may take.
BLOCK_TIMEOUT = 90.0
#: At most this many not-run blocks per document: exclusions stay the exception.
MAX_NOT_RUN = 6

MARKER = re.compile(r"^\s*<!--\s*(not-run|file|output-of):\s*(.*?)\s*-->\s*$")
FENCE = re.compile(r"^( *)(`{3,}|~{3,})(.*)$")


@dataclasses.dataclass
class Block:
    document: str
    line: int  # 1-based line of the opening fence
    language: str
    text: str
    markers: dict[str, str]

    @property
    def where(self) -> str:
        return f"{self.document}:{self.line}"


def extract_blocks(document: str) -> list[Block]:
    """The fenced blocks of `document` with the markers on the lines right before them."""
    lines = (REPO / document).read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        indent, fence, info = len(opening.group(1)), opening.group(2), opening.group(3).strip()
        markers: dict[str, str] = {}
        back = index - 1
        while back >= 0 and (match := MARKER.match(lines[back])):
            markers[match.group(1)] = match.group(2)
            back -= 1
        start = index
        body: list[str] = []
        index += 1
        while index < len(lines):
            closing = FENCE.match(lines[index])
            if closing and closing.group(2)[0] == fence[0] and len(closing.group(2)) >= len(fence) and not closing.group(3).strip():
                break
            line = lines[index]
            body.append(line[indent:] if line[:indent].strip() == "" else line)
            index += 1
        else:
            raise AssertionError(f"{document}: the block opened at line {start + 1} is never closed")
        language = info.split()[0] if info else ""
        blocks.append(Block(document, start + 1, language, "\n".join(body) + "\n", markers))
        index += 1
    return blocks


# --- transcripts -------------------------------------------------------------------------------

@dataclasses.dataclass
class Command:
    text: str
    output: list[str]  # the expected lines
    interrupt: bool  # the output ends with ^C


def parse_transcript(block: Block) -> list[Command]:
    commands: list[Command] = []
    lines = block.text.splitlines()
    index = 0
    if not lines or not lines[0].startswith("$ "):
        raise AssertionError(f"{block.where}: a console block starts with a `$ ` command line")
    while index < len(lines):
        line = lines[index]
        assert line.startswith("$ "), f"{block.where}: expected a `$ ` line, got {line!r}"
        text = line[2:]
        while text.endswith("\\") and index + 1 < len(lines):
            index += 1
            text += "\n" + lines[index]
        index += 1
        output: list[str] = []
        while index < len(lines) and not lines[index].startswith("$ "):
            output.append(lines[index])
            index += 1
        while output and not output[-1].strip():
            output.pop()
        interrupt = bool(output) and output[-1].strip() == "^C"
        if interrupt:
            output.pop()
        commands.append(Command(text, output, interrupt))
    return commands


ID = re.compile(r"\b(tnt|grp|wan|tpl|hcd|tag|bft|aud|sub)_[0-9A-HJKMNP-TV-Z]{26}\b")
TIMESTAMP = re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\b")
KEY_ID = re.compile(r"(?<![0-9A-Za-z_])[0-9A-Za-z]{16}(?![0-9A-Za-z_])")


def normalise(line: str) -> str:
    """Masks what differs from run to run (ids, key ids, times) and collapses runs of spaces."""
    line = ID.sub(lambda match: match.group(1) + "_<id>", line)
    line = TIMESTAMP.sub("<time>", line)
    # A key id is 16 letters and digits at random; a word of 16 letters in one case is left alone.
    line = KEY_ID.sub(lambda match: match.group(0) if match.group(0).isalpha() and (match.group(0).islower() or match.group(0).isupper()) else "<key-id>", line)
    return " ".join(line.split())


def line_pattern(expected: str) -> re.Pattern:
    parts = normalise(expected).split("...")
    return re.compile(".*?".join(re.escape(part) for part in parts) + r"\Z", re.DOTALL)


def interleaves(expected: list[str], stdout: list[str], stderr: list[str]) -> bool:
    """True when `expected` is stdout and stderr interleaved, each in its own order (what a
    terminal shows, whatever the buffering of the two streams)."""
    patterns = [line_pattern(line) for line in expected]
    out = [normalise(line) for line in stdout]
    err = [normalise(line) for line in stderr]
    if len(patterns) != len(out) + len(err):
        return False
    reachable = {(0, 0)}
    for pattern in patterns:
        reachable = {
            step
            for i, j in reachable
            for step, candidate in (((i + 1, j), out[i] if i < len(out) else None), ((i, j + 1), err[j] if j < len(err) else None))
            if candidate is not None and pattern.match(candidate)
        }
        if not reachable:
            return False
    return (len(out), len(err)) in reachable


def elided_match(expected: list[str], actual: list[str]) -> bool:
    """`expected` lines in order, a `...` or `# ...` line standing for any number of lines."""
    def is_gap(line: str) -> bool:
        stripped = line.strip()
        return stripped == "..." or stripped.startswith("# ...")

    actual = [line.rstrip() for line in actual]
    segments: list[list[str]] = [[]]
    for line in expected:
        if is_gap(line):
            segments.append([])
        else:
            segments[-1].append(line.rstrip())
    if len(segments) == 1:
        return segments[0] == actual
    first, middle, last = segments[0], segments[1:-1], segments[-1]
    if actual[: len(first)] != first:
        return False
    end = len(actual) - len(last)
    if end < len(first) or actual[end:] != last:
        return False
    position = len(first)
    for segment in filter(None, middle):
        found = next((start for start in range(position, end - len(segment) + 1) if actual[start : start + len(segment)] == segment), None)
        if found is None:
            return False
        position = found + len(segment)
    return True


# --- the shell session -------------------------------------------------------------------------

class BlockFailed(Exception):
    pass


class Session:
    """One `bash -euo pipefail` reading the blocks from its stdin, one after the other."""

    def __init__(self, cwd: pathlib.Path, env: dict[str, str], scratch: pathlib.Path):
        self.scratch = scratch
        self.token = "__parley_docs_" + secrets.token_hex(8)
        self.process = subprocess.Popen(
            ["bash", "--noprofile", "--norc", "-euo", "pipefail", "-s"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            cwd=cwd, env=env, start_new_session=True,
        )
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.count = 0
        self._send("shopt -s inherit_errexit\n__docs_status=0\n" + self.TRAP + "\n")

    #: Names the command that failed, before -e ends the shell (off around transcript commands,
    #: whose failures are theirs to show).
    TRAP = """trap '__docs_failed=$?; printf "docs test: exit status %s from: %s\\n" "$__docs_failed" "$BASH_COMMAND" >&2' ERR"""

    def _read(self):
        for raw in self.process.stdout:
            self.lines.put(raw.decode("utf-8", "replace"))
        self.lines.put(None)

    def _send(self, text: str):
        try:
            self.process.stdin.write(text.encode("utf-8"))
            self.process.stdin.flush()
        except BrokenPipeError:
            pass

    def _await(self, what: str, timeout: float = BLOCK_TIMEOUT, on_line=None) -> tuple[str, list[str]]:
        """Waits for the token line; returns what followed the token and the lines before it."""
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise BlockFailed(f"{what}: no end after {timeout:.0f} s (killed); output:\n{tail(seen)}")
            try:
                line = self.lines.get(timeout=min(remaining, 0.2))
            except queue.Empty:
                if on_line:
                    on_line()
                continue
            if line is None:
                status = self.process.wait(timeout=10)
                raise BlockFailed(f"{what}: the shell exited with status {status} (a command failed); output:\n{tail(seen)}")
            if self.token in line:
                before, _, after = line.partition(self.token)
                if before:
                    seen.append(before)
                return after.strip(), seen
            seen.append(line)

    def run_script(self, block: Block) -> str:
        """Runs a sh block; returns its output (for messages)."""
        self._send("{\n" + block.text + "\n} </dev/null\nprintf '\\n%s done\\n' " + self.token + "\n")
        _, seen = self._await(block.where)
        return "".join(seen)

    def run_command(self, where: str, command: Command) -> tuple[int, list[str], list[str]]:
        """Runs one transcript command; returns its status, stdout lines and stderr lines. `$?` is
        the previous command's status, as at a prompt."""
        self.count += 1
        out, err = self.scratch / f"out.{self.count}", self.scratch / f"err.{self.count}"
        body = "{\n" + command.text + "\n} </dev/null >'" + str(out) + "' 2>'" + str(err) + "'"
        if not command.interrupt:
            script = (
                f"set +e\ntrap - ERR\n(exit $__docs_status)\n{body}\n__docs_status=$?\n{self.TRAP}\nset -e\n"
                f"printf '\\n%s %s\\n' {self.token} \"$__docs_status\"\n"
            )
            self._send(script)
            status, seen = self._await(f"{where}: $ {command.text}")
        else:
            script = (
                f"set +e\ntrap - ERR\nset -m\n(exit $__docs_status)\n{body} &\n__docs_bg=$!\nset +m\n"
                f"printf '\\n%s bg %s\\n' {self.token} \"$__docs_bg\"\nwait \"$__docs_bg\"\n__docs_status=$?\n{self.TRAP}\nset -e\n"
                f"printf '\\n%s %s\\n' {self.token} \"$__docs_status\"\n"
            )
            self._send(script)
            started, _ = self._await(f"{where}: $ {command.text} (start)")
            group = int(started.split()[1])
            deadline = time.monotonic() + BLOCK_TIMEOUT

            def interrupt_when_shown():
                shown = interleaves(command.output, read_lines(out), read_lines(err))
                if shown or time.monotonic() > deadline:
                    try:
                        os.killpg(group, signal.SIGINT)  # Ctrl-C: the job's own process group
                    except ProcessLookupError:
                        pass

            status, seen = self._await(f"{where}: $ {command.text}", timeout=BLOCK_TIMEOUT + 30, on_line=interrupt_when_shown)
            status = "0" if status == "130" else status  # ended by the interrupt (128 + SIGINT), as intended
        return int(status), read_lines(out), read_lines(err)

    def capture(self, where: str, command: str) -> list[str]:
        """Runs `command` in the session; fails unless it exits 0; returns its stdout lines."""
        status, out, err = self.run_command(where, Command(command, [], False))
        if status != 0:
            raise BlockFailed(f"{where}: `{command}` exited with {status}: {''.join(err)}")
        return out

    def kill(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def close(self):
        """Ends the session: EOF on its script, then the session's process group (background jobs
        a document left running) is stopped by its id."""
        try:
            self.process.stdin.close()
        except BrokenPipeError:
            pass
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        if self.process.poll() is None:
            self.kill()
            self.process.wait(timeout=10)


def tail(lines: list[str], count: int = 40) -> str:
    text = "".join(lines[-count:])
    return ("[...]\n" if len(lines) > count else "") + text


def read_lines(path: pathlib.Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return []


# --- the edit the admin guide makes with $EDITOR -----------------------------------------------

#: Run as `$EDITOR acme.yaml` in docs/admin-guide.md §3: the change the guide describes (Sales
#: queue 20 -> 30, a number, a template, a tag), made on the exported text as a person would.
EDITOR_SCRIPT = r'''
import pathlib, sys
path = pathlib.Path(sys.argv[1])
text = path.read_text(encoding="utf-8")
edits = [
    ("  name: Sales\n  queue_size: 20\n", "  name: Sales\n  queue_size: 30\n"),
    ("tags: []\n", 'tags:\n- background_color: "#112233"\n  label: VIP\n  name: vip\n'),
    ("templates: []\n", "templates:\n- category: UTILITY\n  components:\n    body:\n      examples:\n"
     '        "1": A-1001\n      text: "Objednávka {{1}} je připravena."\n  language: cs\n  name: order_ready\n'
     '  whatsapp_number: "+420601555001"\n'),
    ("whatsapp_numbers: []\n", 'whatsapp_numbers:\n- name: Main\n  phone_number: "+420601555001"\n'
     '  routing_group: Sales\n  waba_id: "104996122399160"\n'),
]
for old, new in edits:
    if old not in text:
        sys.exit(f"edit-acme: {old!r} is not in {path}: the export changed, update the test's editor")
    text = text.replace(old, new, 1)
path.write_text(text, encoding="utf-8")
'''


# --- tests -------------------------------------------------------------------------------------

def shell_blocks(document: str) -> list[Block]:
    return [block for block in extract_blocks(document) if block.language in SHELL_LANGUAGES]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_blocks_follow_the_convention(document):
    problems: list[str] = []
    not_run = 0
    for block in extract_blocks(document):
        first = next((line for line in block.text.splitlines() if line.strip()), "")
        if "not-run" in block.markers:
            not_run += 1
            if block.language not in SHELL_LANGUAGES:
                problems.append(f"{block.where}: not-run marks a {block.language or 'plain'} block, which never runs")
            if not block.markers["not-run"]:
                problems.append(f"{block.where}: not-run needs a reason")
        if block.language in SHELL_LANGUAGES - RUN_LANGUAGES - TRANSCRIPT_LANGUAGES and "not-run" not in block.markers:
            problems.append(f"{block.where}: a ```{block.language} block: write sh (it runs) or mark it not-run")
        if block.language in RUN_LANGUAGES and any(line.startswith("$ ") for line in block.text.splitlines()):
            problems.append(f"{block.where}: a transcript (`$ ` lines) in a ```{block.language} block: use ```console")
        if block.language in TRANSCRIPT_LANGUAGES and not first.startswith("$ "):
            problems.append(f"{block.where}: a console block starts with a `$ ` command")
        if block.language == "" and first.startswith("$ "):
            problems.append(f"{block.where}: a transcript without a language: use ```console so that it runs")
        if "file" in block.markers and not (REPO / block.markers["file"]).is_file():
            problems.append(f"{block.where}: {block.markers['file']} does not exist")
        if "output-of" in block.markers and block.language in SHELL_LANGUAGES:
            problems.append(f"{block.where}: output-of marks a shell block")
    if not_run > MAX_NOT_RUN:
        problems.append(f"{document}: {not_run} not-run blocks (at most {MAX_NOT_RUN}): make them run")
    runnable = [block for block in shell_blocks(document) if "not-run" not in block.markers]
    if not runnable:
        problems.append(f"{document}: no shell block runs")
    assert not problems, "\n".join(problems)


def test_readme_opens_with_the_two_commands():
    first = shell_blocks("README.md")[0]
    commands = [line.split("#")[0].split() for line in first.text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert commands[:2] == [["./dev", "serve"], ["./dev", "test"]], f"{first.where}: {first.text}"


@pytest.mark.parametrize("document", DOCUMENTS)
def test_shown_files_are_the_committed_ones(document):
    for block in extract_blocks(document):
        if "file" in block.markers:
            committed = (REPO / block.markers["file"]).read_text(encoding="utf-8")
            assert block.text == committed, f"{block.where} shows {block.markers['file']}, but the committed file differs"


@pytest.fixture
def bin_dir() -> pathlib.Path:
    directory = harness.find_parleyd().parent
    assert (directory / "parley").is_file(), f"parley is not next to parleyd in {directory}"
    return directory


#: Tools the documents' blocks use besides parley, parleyd and bash's own builtins.
TOOLS = ["jq", "git", "sed", "cut"]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_shell_blocks_run(document, tmp_path, bin_dir):
    for tool in TOOLS:
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed, and the documents use it (apt-get install {tool})")
    workdir, scratch, home = tmp_path / "work", tmp_path / "scratch", tmp_path / "home"
    for directory in (scratch, home):
        directory.mkdir()
    server = harness.Server(workdir)  # a fresh database: revisions in transcripts are the same every run
    shutil.copytree(EXAMPLES, workdir / "docs" / "examples")
    editor = scratch / "edit-acme.py"
    editor.write_text(EDITOR_SCRIPT, encoding="utf-8")
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(home), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "dumb",
        "PARLEY_SERVER": f"127.0.0.1:{server.port}", "PARLEY_API_KEY": server.admin_key,
        "EDITOR": f"{sys.executable} {editor}",
        "GIT_AUTHOR_NAME": "Docs Test", "GIT_AUTHOR_EMAIL": "docs@example.invalid",
        "GIT_COMMITTER_NAME": "Docs Test", "GIT_COMMITTER_EMAIL": "docs@example.invalid",
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_PAGER": "cat", "PAGER": "cat",
    }
    session = Session(workdir, env, scratch)
    failures: list[str] = []
    try:
        blocks = extract_blocks(document)
        for block in blocks:
            if block.language not in RUN_LANGUAGES | TRANSCRIPT_LANGUAGES or "not-run" in block.markers:
                continue
            if block.language in RUN_LANGUAGES:
                session.run_script(block)
                continue
            previous: Command | None = None
            previous_status = 0
            for command in parse_transcript(block):
                status, out, err = session.run_command(block.where, command)
                shown = "\n".join(command.output)
                actual = "\n".join(["(stdout)", *out, "(stderr)", *err])
                if previous_status != 0 and command.text.strip() != "echo $?":
                    raise BlockFailed(f"{block.where}: `{previous.text}` exited with {previous_status}; "
                                      f"show it with `$ echo $?` if that is the point")
                if not interleaves(command.output, out, err):
                    failures.append(f"{block.where}: `$ {command.text}` printed\n{actual}\nbut the document shows\n{shown}")
                previous, previous_status = command, status
            if previous_status != 0:
                raise BlockFailed(f"{block.where}: `{previous.text}` exited with {previous_status}")
        for block in blocks:
            if "output-of" in block.markers:
                command = block.markers["output-of"]
                actual = session.capture(block.where, command)
                if not elided_match(block.text.splitlines(), actual):
                    failures.append(f"{block.where}: `{command}` prints\n" + "\n".join(actual)
                                    + "\nwhich the block (with its ... gaps) does not match")
    except BlockFailed as error:
        failures.append(str(error))
    finally:
        session.close()
        status = server.stop()
    if failures:
        pytest.fail("\n\n".join(failures) + f"\n\nparleyd log (tail):\n{server.log_text()[-2000:]}", pytrace=False)
    assert status == 0, f"parleyd exited with {status}; log:\n{server.log_text()}"
