"""`python -m planstudio`: the same program as the `planstudio` command."""

import sys

from planstudio.cli import main

sys.exit(main())
