"""Allow `python -m sitedash` (a quick command goes to the warm server, as `sitedash` does)."""

from sitedash.launch import main

raise SystemExit(main())
