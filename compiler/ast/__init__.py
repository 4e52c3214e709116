"""The StoffelLang AST: frozen attrs nodes with spans (see ``nodes``)."""
