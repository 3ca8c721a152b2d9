#!/usr/bin/env python3
"""Entry point: ``python run_exercise.py [COMMAND] ...`` (see ``--help``)."""

import sys

from tabletop.cli import main

if __name__ == "__main__":
    sys.exit(main())
