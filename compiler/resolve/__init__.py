"""Name resolution: module loading (``modules``) and symbols, scopes and the
resolution index (``symbols``) that the checker fills and the language server reads."""
