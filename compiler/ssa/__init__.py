"""SSA IR of StoffelLang: data structures, text form, verifier, analyses (DESIGN §2 item 4)."""
