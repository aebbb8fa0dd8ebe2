"""Every usage error of every command is one line on stderr and exit 2, never a traceback.

Each command of the Typer app is run (in-process, through the same
``gpai_kg.cli.usage.run`` the ``gpai-kg`` script runs) with an option it does
not have, with a missing argument (its required argument left out, or an
option given without its value) and with a bad value. A new command without a
bad value below fails ``test_every_command_has_a_bad_value``.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer.main

from gpai_kg.cli.app import app
from gpai_kg.cli.usage import run

COMMANDS = typer.main.get_command(app).commands
BAD_VALUE = {  # a value each command refuses before doing any work
    "build": ["--sources", "/nonexistent"],
    "stats": ["--format", "pdf"],
    "show": ["Article 999"],
    "changes": ["--from", "2026-13-01"],
    "query": ["--timeout", "soon"],
    "serve": ["--port", "99999"],
    "push": ["--endpoint", "not-a-url"],
    "export": ["--format", "pdf"],
    "docs": ["--out", "/dev/null/x"],
    "rules": ["--format", "pdf"],
    "assess": ["examples/frontier-model.json", "--format", "docx"],
    "screen": ["examples/frontier-model.json", "--as-of", "yesterday"],
    "compare": ["examples/frontier-model.json", "--format", "pdf"],
    "dossier": ["examples/frontier-model.json", "--format", "pdf"],
}


def _missing(name: str) -> list[str]:
    """The command without its required argument or option, else its first valued option without the value."""
    command = COMMANDS[name]
    if any(p.required for p in command.params):
        return []
    option = next(p for p in command.params if p.param_type_name == "option" and not p.is_flag)
    return [option.opts[0]]


def _fails_in_one_line(monkeypatch, capsys, argv: list[str]) -> str:
    monkeypatch.setattr(sys, "argv", ["gpai-kg", *argv])
    with pytest.raises(SystemExit) as leave:
        run(app)
    out, err = capsys.readouterr()
    assert leave.value.code == 2, (argv, out, err)
    assert err.count("\n") == 1 and err.strip(), (argv, err)
    assert "Traceback" not in err and not out.strip(), (argv, out, err)
    return err


def test_every_command_has_a_bad_value():
    assert set(BAD_VALUE) == set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_an_unknown_option_is_named(monkeypatch, capsys, name):
    err = _fails_in_one_line(monkeypatch, capsys, [name, "--bogus"])
    assert err.startswith(f"gpai-kg {name}: error: No such option: --bogus")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_missing_argument_is_named(monkeypatch, capsys, name):
    missing = _missing(name)
    err = _fails_in_one_line(monkeypatch, capsys, [name, *missing])
    assert ("Missing" in err or "requires an argument" in err) and "error:" in err, err


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_bad_value_is_named(monkeypatch, capsys, name):
    err = _fails_in_one_line(monkeypatch, capsys, [name, *BAD_VALUE[name]])
    option_or_value = [a for a in BAD_VALUE[name] if a.startswith("--")] or BAD_VALUE[name][-1:]
    assert "error:" in err and (option_or_value[-1] in err or BAD_VALUE[name][-1] in err), err


def test_an_unknown_command_is_named(monkeypatch, capsys):
    err = _fails_in_one_line(monkeypatch, capsys, ["nosuchcmd"])
    assert err == "gpai-kg: error: No such command 'nosuchcmd'. (see 'gpai-kg --help')\n"


def test_the_installed_command_prints_one_line_and_exits_2():
    """The real entry point (python -m gpai_kg), as a user runs it: the issue's four examples."""
    for argv in (["stats", "--bogus"], ["assess"], ["assess", "examples/frontier-model.json", "--format", "docx"],
                 ["nosuchcmd"]):
        done = subprocess.run([sys.executable, "-m", "gpai_kg", *argv], capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and done.stderr.count("\n") == 1 and not done.stdout, (argv, done.stderr)


def test_version_names_the_package_and_the_version_of_the_act(monkeypatch, capsys):
    from gpai_kg import __version__

    monkeypatch.setattr(sys, "argv", ["gpai-kg", "--version"])
    run(app)  # exit 0: it returns
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"gpai-kg {__version__}"
    act = [line for line in out[1:] if line.startswith("Regulation (EU) 2024/1689: http://data.europa.eu/eli/")]
    assert act and sum("the version in force today" in line for line in act) == 1, out
