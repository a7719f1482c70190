"""What the app needs from Textual beyond widgets: the key gate and the warm-up."""
