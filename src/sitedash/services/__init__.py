"""Rules shared by the screens and the CLI. No module here imports textual."""
