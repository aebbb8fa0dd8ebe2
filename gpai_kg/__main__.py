"""``python -m gpai_kg`` is the ``gpai-kg`` command."""

from .cli import main

main()
