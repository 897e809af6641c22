"""``python -m mcemulator``: run the emulator in the foreground (see ``--help``)."""

import sys

from mcemulator.cli import main

sys.exit(main())
