"""`python -m ui --index DIR --host 127.0.0.1 --port 7860`."""

import sys

from ui.app import main

sys.exit(main())
