"""`python -m chaos`: see chaos.run."""

import sys

from chaos.run import main

sys.exit(main())
