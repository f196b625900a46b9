"""Setting names a dotenv file must never set: the one table of them.

`mlinfra outputs --format dotenv` writes each setting as NAME=value, and applications
`source` that file (or hand it to `docker --env-file`): a setting named PATH or
LD_PRELOAD would change which programs run, and how, for the shell that reads the file
and everything it starts. An export whose `mlinfra outputs` name (connections.env_key) is
one of these is refused by lint (exports.py, MLC323); the dotenv writer leaves out any
exact name a stack holds anyway (a stack deployed before the check). docs/language.md
lists the table (language.py's exports description).
"""

from __future__ import annotations

# name -> why it is refused; a name matches exactly.
EXACT: dict[str, str] = {
    # POSIX shells look commands up in PATH (POSIX.1, XBD 8.3 "Other Environment
    # Variables"; execvp); sh and bash in POSIX mode source $ENV when interactive, and
    # bash sources $BASH_ENV before every script it runs (Bash Reference Manual, "Bash
    # Startup Files").
    "PATH": "where every shell looks up the commands it runs",
    "ENV": "a file interactive sh and bash (POSIX mode) run at start",
    "BASH_ENV": "a file bash runs before every script",
    # Read by the shell that sources the file (Bash Reference Manual, "Bash Variables"):
    # word splitting, the xtrace prompt (expanded, so it can run a command substitution),
    # shell options set at start, a command run before every prompt, cd's search path,
    # and the home directory every program reads its startup files from.
    "IFS": "how the sourcing shell splits words",
    "PS4": "the prompt bash expands (and runs command substitutions in) under set -x",
    "SHELLOPTS": "shell options bash turns on at start",
    "BASHOPTS": "shell options bash turns on at start",
    "PROMPT_COMMAND": "a command bash runs before every prompt",
    "CDPATH": "where cd looks for directories",
    "GLOBIGNORE": "which file names the shell's globs leave out",
    "HOME": "where programs read their startup files from",
    # glibc removes these from the environment of set-user-ID programs because they
    # change what a program loads at start (sysdeps/generic/unsecvars.h, UNSECURE_ENVVARS;
    # the LD_ ones are the LD_ prefix below).
    "GCONV_PATH": "where glibc loads character-set converters (code) from",
    "GETCONF_DIR": "where glibc's getconf finds its programs",
    "GLIBC_TUNABLES": "glibc's settings, read by the dynamic loader at every start",
    "HOSTALIASES": "a file glibc's resolver reads",
    "LOCALDOMAIN": "glibc's resolver search list",
    "LOCPATH": "where glibc loads locale data from",
    "MALLOC_TRACE": "a file glibc's malloc writes to",
    "NIS_PATH": "glibc's NIS+ search path",
    "NLSPATH": "where programs load message catalogues from",
    "RESOLV_HOST_CONF": "a file glibc's resolver reads",
    "RES_OPTIONS": "glibc's resolver options",
    "TMPDIR": "where programs create their temporary files",
    "TZDIR": "where glibc loads time-zone files from",
    # Interpreters read these at start: modules or code to load first, or their options
    # (Node.js CLI "NODE_OPTIONS"; the runner itself refuses NODE_OPTIONS in ::set-env,
    # actions/runner ActionCommandManager.cs _setEnvBlockList; perlrun "PERLLIB"; ruby(1)
    # "RUBYOPT", "RUBYLIB"; Java "JAVA_TOOL_OPTIONS" (-javaagent), the launcher's
    # JDK_JAVA_OPTIONS and _JAVA_OPTIONS, and CLASSPATH).
    "NODE_OPTIONS": "options (--require: code) every node process starts with",
    "NODE_PATH": "where node looks for modules",
    "PERLLIB": "where perl looks for modules",
    "RUBYOPT": "options (-r: code) every ruby process starts with",
    "RUBYLIB": "where ruby looks for libraries",
    "JAVA_TOOL_OPTIONS": "options (-javaagent: code) every JVM starts with",
    "JDK_JAVA_OPTIONS": "options every java launcher starts with",
    "_JAVA_OPTIONS": "options every JVM starts with",
    "CLASSPATH": "where the JVM loads classes from",
    # The prefixes' best-known members by name too: the dotenv writer refuses exact names
    # only (see `refusal`), and these are the ones that load code.
    "LD_PRELOAD": "a library the dynamic loader loads into every program",
    "LD_LIBRARY_PATH": "where the dynamic loader looks for libraries first",
    "LD_AUDIT": "a library the dynamic loader loads into every program",
    "DYLD_INSERT_LIBRARIES": "a library macOS's loader loads into every program",
    "DYLD_LIBRARY_PATH": "where macOS's loader looks for libraries first",
    "PYTHONPATH": "where every python process looks for modules first",
    "PYTHONSTARTUP": "a file interactive python runs at start",
    "PYTHONHOME": "where python loads its standard library from",
    "PERL5OPT": "options (-M: code) every perl process starts with",
    "PERL5LIB": "where perl looks for modules first",
    "PERL5DB": "the debugger code perl -d runs",
}

# prefix -> why: every export name that starts with it is refused (see `refusal` for why
# the names mlinfra derives are not).
PREFIXES: dict[str, str] = {
    # glibc's dynamic loader reads every LD_ variable at every start (elf/dl-environ.c,
    # _dl_next_ld_env_entry takes each name starting LD_; ld.so(8): LD_PRELOAD,
    # LD_LIBRARY_PATH, LD_AUDIT); macOS's dyld the DYLD_ ones (dyld(1):
    # DYLD_INSERT_LIBRARIES).
    "LD_": "the dynamic loader's variables (LD_PRELOAD loads code into every program)",
    "DYLD_": "macOS's dynamic loader's variables (DYLD_INSERT_LIBRARIES loads code)",
    # CPython reads PYTHON* at every start (Python docs, "Command line and environment":
    # PYTHONSTARTUP, PYTHONPATH, PYTHONHOME; since 3.13 PYTHON_* too, as PYTHON_GIL); -E
    # ignores "all PYTHON* environment variables".
    "PYTHON": "CPython's variables (PYTHONPATH, PYTHONSTARTUP load code)",
    # perlrun: PERL5LIB, PERL5OPT (-M: code), PERL5DB (the debugger's code).
    "PERL5": "perl's variables (PERL5OPT, PERL5LIB load code)",
}


def refusal(name: str, prefixes: bool = True) -> str | None:
    """Why a dotenv file must not set `name` (an `mlinfra outputs` name, upper case), or
    None. `prefixes`: also every name of the prefixes' families; an export's name, which
    the user chooses, is checked so. A name mlinfra derives from a declaration
    (`<DECLARATION>_<ATTRIBUTE>`, as PYTHON_JOBS_URL) always ends with an attribute no
    loader or interpreter reads, so a queue named python-jobs stays valid; none is EXACT
    either (no attribute is PATH, ENV, OPTIONS...), so lint does not check them, and the
    dotenv writer, which cannot tell the two apart, checks exact names only."""
    why = EXACT.get(name)
    if why is not None:
        return f"{name} is {why}"
    for prefix, why in PREFIXES.items() if prefixes else ():
        if name.startswith(prefix):
            return f"{name} starts with {prefix}, {why}"
    return None


def summary() -> str:
    """The table in one sentence, for docs/language.md."""
    exact = ", ".join(f"`{n}`" for n in EXACT)
    prefixes = ", ".join(f"`{p}`" for p in PREFIXES)
    return (f"An output name that `mlinfra outputs` would write (in upper case) as a "
            f"variable programs read at start is refused (MLC323): {exact}, and every name "
            f"starting {prefixes} (mlinfra_compile/envnames.py says why for each).")
