"""One module per screen; each is imported only when first shown (start-up cost)."""
