"""A realistic demo dataset (`generate`), with its words kept apart (`tables`)."""

from sitedash.demo.generate import demo_engagements, generate
from sitedash.demo.tables import ERP, MES

__all__ = ["ERP", "MES", "demo_engagements", "generate"]
