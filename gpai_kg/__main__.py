"""``python -m gpai_kg`` is the ``gpai-kg`` command."""

from gpai_kg.cli.app import main

main()
