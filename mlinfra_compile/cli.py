"""The command line: parse options, call a command function, return its exit code.

Only this module knows click and exit codes; one handler turns user errors into
messages and crashes into a "please report" line (exit 70), never a traceback.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from . import commands, formats
from .failures import finish, guarded, one_command
from .pin import DISTRIBUTION


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", default=None, type=click.Path(file_okay=False),
              help="The repository (holding environments/). Default: the first folder "
                   "holding environments/, from the current directory up.")
@click.version_option(package_name=DISTRIBUTION, prog_name="mlinfra")
@click.pass_context
def cli(ctx: click.Context, root: str) -> None:
    """Compile environment files into Pulumi resource graphs."""
    ctx.obj = {"root": root}


def complete_env(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of ENV: the environments (not partials) of the repository."""
    from click.shell_completion import CompletionItem

    from .workspace import Workspace, is_partial, stem_of

    root = ctx.find_root().params.get("root") or _discover()
    stems = sorted(stem_of(p) for p in Workspace(root).environment_files())
    return [CompletionItem(s) for s in stems
            if s.startswith(incomplete) and not is_partial(s)]


def _discover() -> str:
    from .workspace import find_root

    return find_root(os.getcwd())


ENV = click.argument("env", shell_complete=complete_env)


def _root(ctx: click.Context) -> str:
    from .workspace import find_root

    given = ctx.obj["root"]
    return str(given) if given is not None else find_root(os.getcwd())


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(list(formats.DIAGNOSTICS)),
              default="text", show_default=True)
@click.pass_context
def lint(ctx: click.Context, paths: tuple[str, ...], fmt: str) -> int:
    """Check environment files (default: environments/*.yaml), compiling each stack."""
    return commands.lint(_root(ctx), list(paths), fmt)


@cli.command("compile")
@ENV
@click.option("-o", "--output", help="Write the graph here (atomically) instead of stdout.")
@click.pass_context
def compile_(ctx: click.Context, env: str, output: str | None) -> int:
    """Print the resource graph JSON of ENV (a stem such as prod, or a path)."""
    return commands.compile_cmd(_root(ctx), env, output)


@cli.command()
@ENV
@click.option("--format", "fmt", type=click.Choice(list(formats.PLAN)), default="text",
              show_default=True)
@click.pass_context
def plan(ctx: click.Context, env: str, fmt: str) -> int:
    """Show ENV's resources and arguments, each marked set / inherited / default."""
    return commands.plan(_root(ctx), env, fmt)


@cli.command()
@ENV
@click.option("--format", "fmt", type=click.Choice(list(formats.COST)), default="text",
              show_default=True)
@click.pass_context
def cost(ctx: click.Context, env: str, fmt: str) -> int:
    """Estimate ENV's monthly cost, per resource and in total, from the price tables mlinfra
    ships (offline; queues priced from their usage: hints)."""
    return commands.cost(_root(ctx), env, fmt)


@cli.command()
@ENV
@click.option("--format", "fmt", type=click.Choice(list(formats.PICTURE)), default="mermaid",
              show_default=True)
@click.pass_context
def graph(ctx: click.Context, env: str, fmt: str) -> int:
    """Draw ENV's resources and the references between them."""
    return commands.picture(_root(ctx), env, fmt)


@cli.command()
@ENV
@click.argument("key")
@click.pass_context
def explain(ctx: click.Context, env: str, key: str) -> int:
    """Tell where a value came from, e.g. `explain prod session_stores.NAME.tier`."""
    return commands.explain(_root(ctx), env, key)


@cli.command()
@ENV
@click.option("--preview", is_flag=True, help="Run `pulumi preview` instead of `pulumi up`.")
@click.option("--yes", is_flag=True, help="Pass --yes to `pulumi up` (no confirmation).")
@click.option("--allow-replace", "allow", multiple=True, metavar="NAME",
              help="Let a production deploy replace or delete this stateful resource.")
@click.option("--allow-downgrade", is_flag=True,
              help="Accept a profile change from production to development.")
@click.pass_context
def deploy(ctx: click.Context, env: str, preview: bool, yes: bool,
           allow: tuple[str, ...], allow_downgrade: bool) -> int:
    """Lint ENV, check the change against what is deployed, then `pulumi up` (or
    `pulumi preview`) on stack ENV."""
    from . import stack

    return stack.deploy(_root(ctx), env, preview=preview, yes=yes, allow=list(allow),
                        allow_downgrade=allow_downgrade)


@cli.command()
@ENV
@click.option("--yes", is_flag=True, help="Do not ask; with --confirm, destroy a production "
                                         "stack or protected resources.")
@click.option("--confirm", metavar="ENV", help="The environment's name again, to destroy "
                                               "production or protected resources.")
@click.pass_context
def destroy(ctx: click.Context, env: str, yes: bool, confirm: str | None) -> int:
    """`pulumi destroy` of stack ENV: every resource it manages is deleted."""
    from . import stack

    return stack.destroy(_root(ctx), env, yes=yes, confirm=confirm)


@cli.command()
@ENV
@click.pass_context
def drift(ctx: click.Context, env: str) -> int:
    """What changed in the cloud outside mlinfra since ENV was deployed (exit 5 if any)."""
    from . import stack

    return stack.drift(_root(ctx), env)


@cli.command()
@click.argument("env", required=False, shell_complete=complete_env)
@click.option("--all", "every", is_flag=True,
              help="Every stack of the repository, in one report (the PR comment).")
@click.option("--against", default="HEAD", show_default=True, metavar="REF",
              help="The git ref to compare with.")
@click.option("--against-state", "state", metavar="STATE.json", type=click.Path(),
              help="Compare with a stack's state instead: what `pulumi stack export` "
                   "printed.")
@click.option("--against-stack", "live", is_flag=True,
              help="Compare with the live stack ENV (`pulumi stack export`).")
@click.option("--allow-replace", "allow", multiple=True, metavar="[STACK:]NAME",
              help="Accept replacing or deleting this stateful resource in production "
                   "(with --all: in every stack, or in STACK only).")
@click.option("--allow-downgrade", is_flag=True,
              help="Accept a profile change from production to development.")
@click.option("--format", "fmt", type=click.Choice(list(formats.DIFF)), default="text",
              show_default=True)
@click.pass_context
def diff(ctx: click.Context, env: str | None, every: bool, against: str, state: str | None,
         live: bool, allow: tuple[str, ...], allow_downgrade: bool, fmt: str) -> int:
    """What changes in ENV (or in every stack, --all) against a git ref, or against a
    stack's state: updates in place, REPLACE, deletions, the profile."""
    from click.core import ParameterSource

    from . import diffcmd

    if (env is None) == (not every):
        raise click.UsageError("name one environment (`mlinfra diff prod`) or --all")
    given = [f for f, on in (("--against-state", state is not None),
                             ("--against-stack", live), ("--all", every),
                             ("--against", ctx.get_parameter_source("against")
                              is not ParameterSource.DEFAULT)) if on]
    if (state is not None or live) and len(given) > 1:
        raise click.UsageError(f"{' and '.join(given)} exclude each other: compare one "
                               "environment with one baseline")
    if every:
        return diffcmd.diff_all(_root(ctx), against, list(allow), fmt, allow_downgrade)
    return diffcmd.diff(_root(ctx), env or "", against, list(allow), fmt, allow_downgrade,
                         state, live)


@cli.command()
@click.argument("state", metavar="STATE.json", type=click.Path())
@click.argument("env")
@click.option("--same-stack", is_flag=True,
              help="The old stack becomes mlinfra's: previous_names (its URNs) instead of "
                   "import.")
@click.option("--partial", is_flag=True,
              help="Write what can be expressed even if something cannot (listed); exit "
                   "by the comparison with the state.")
@click.pass_context
def adopt(ctx: click.Context, state: str, env: str, same_stack: bool, partial: bool) -> int:
    """Write environments/ENV.yaml from `pulumi stack export` output (STATE.json, or - for
    standard input): the stack's resources as they run, its outputs as exports; then
    compare it with the state. Never overwrites."""
    from . import diffcmd

    return diffcmd.adopt(_root(ctx), state, env, same_stack, partial)


@cli.command()
@click.argument("env")
@click.option("--from", "source", metavar="OTHER",
              help="Start from OTHER: extend it if it is a partial, else what it extends.")
@click.option("--profile", type=click.Choice(["development", "production"]))
@click.pass_context
def new(ctx: click.Context, env: str, source: str | None, profile: str | None) -> int:
    """Write environments/ENV.yaml, a commented starting point; never overwrites."""
    return commands.new(_root(ctx), env, source, profile)


@cli.command()
@ENV
@click.option("--format", "fmt", type=click.Choice(list(formats.OUTPUTS)),
              default="dotenv", show_default=True)
@click.option("--show-secrets", is_flag=True, help="Print secret values (e.g. AUTH strings).")
@click.pass_context
def outputs(ctx: click.Context, env: str, fmt: str, show_secrets: bool) -> int:
    """Connection settings for applications, from stack ENV's outputs."""
    from . import stack

    return stack.outputs(_root(ctx), env, fmt, show_secrets)


@cli.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False))
def init(folder: str) -> int:
    """Write a team repository into FOLDER: environments, Pulumi project, Makefile,
    pre-commit hook, CI workflow. Never overwrites a file."""
    from .escape import terminal_safe
    from .init import initialise

    done = initialise(folder)
    written, kept, note = done.written, done.kept, done.note
    for path in written:
        click.echo(terminal_safe(f"mlinfra: wrote {path}"), err=True)
    for path in kept:
        click.echo(terminal_safe(f"mlinfra: kept {path}, which exists"), err=True)
    if done.added:
        click.echo(terminal_safe(
            f"mlinfra: added {', '.join(done.added)} to .gitignore, which exists (the "
            "local Pulumi state and the files `mlinfra outputs` writes must not be "
            "committed)"), err=True)
    if note and written:
        click.echo(terminal_safe(f"mlinfra: warning: the mlinfra pin: {note}"), err=True)
    if written:
        click.echo("mlinfra: next: fill the TODOs of environments/*.yaml (`mlinfra lint` "
                   "lists them), then `make plan ENV=dev`", err=True)
    return 0


@cli.command()
def schema() -> int:
    """Print the JSON Schema of an environment file."""
    return commands.schema()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    return guarded(lambda: _click_main(args))


def _click_main(args: list[str]) -> int:
    """click's own outcomes (usage errors, --help, --version, Ctrl-C at a prompt) as exit
    codes; the command's return value otherwise."""
    try:
        rv: Any = cli.main(args=args, prog_name="mlinfra", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return commands.USAGE if isinstance(exc, click.UsageError) else exc.exit_code
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    return int(rv) if isinstance(rv, int) else 0


def run() -> None:  # pragma: no cover - console script entry
    one_command()
    finish(main())


if __name__ == "__main__":  # pragma: no cover
    run()
