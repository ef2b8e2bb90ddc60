import sys

from planstudio.cli import main

sys.exit(main())
