"""sitedash: a terminal dashboard for implementation engineers at customer sites."""

__version__ = "0.1.0"
