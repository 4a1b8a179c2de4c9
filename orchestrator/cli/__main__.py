"""`python -m orchestrator.cli`: the `concierge` command."""

from orchestrator.cli.app import main

main()
