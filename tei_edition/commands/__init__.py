"""One module per subcommand of `edition`; each exposes a click command named `command`."""
