"""The ``xinyong`` console script: Django's management commands under the platform's name.

``xinyong migrate``, ``xinyong serve``, ``xinyong demo``, ``xinyong import FILE --provider CODE``,
``xinyong provider create …``, ``xinyong worker`` and every other ``manage.py`` command.
"""

from __future__ import annotations

import os
import sys

HELP = {"-h", "--help", "help", "--version", "version"}


def only_help(args: list[str]) -> bool:
    """Whether the command line asks for help or the version only (nothing to run, nothing to write)."""
    return not args or bool(HELP & set(args))


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    if not only_help(args):
        from xinyong.settings import prepare_var_dir

        prepare_var_dir()
    execute_from_command_line(["xinyong", *args])


if __name__ == "__main__":
    main()
