"""``python -m evalkit`` runs the command line."""

from evalkit.cli import main

raise SystemExit(main())
