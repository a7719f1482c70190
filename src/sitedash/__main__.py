"""Allow `python -m sitedash`."""

from sitedash.cli import main

raise SystemExit(main())
