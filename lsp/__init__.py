"""``stoffel-lsp``: the StoffelLang language server (pygls 2, stdio).

``server`` holds the server and analysis scheduling, ``features/`` one module per LSP
feature, ``analysis`` / ``chunks`` / ``shift`` / ``fastcheck`` make analyses cheap
enough for every keystroke, ``cost`` is the hook for a future cost model in hover.
"""
