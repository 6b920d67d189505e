"""The ``xinyong`` console script: Django's management commands under the platform's name.

``xinyong migrate``, ``xinyong serve``, ``xinyong demo``, ``xinyong import FILE --provider CODE``,
``xinyong provider create …``, ``xinyong worker`` and every other ``manage.py`` command.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xinyong", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
