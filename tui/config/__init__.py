"""Settings: defaults < config file < environment < flags, the checks of each value, the keyring."""
