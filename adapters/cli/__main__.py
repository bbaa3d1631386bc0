"""`python -m adapters.cli`: the same as `dop-bot`."""

import sys

from adapters.cli import main

if __name__ == "__main__":
    sys.exit(main())
