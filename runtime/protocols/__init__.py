"""MPC protocols, written once against :class:`stoffel.runtime.context.PartyContext`.

Every function works on whole vectors (one call, one round for the batch) and is called by
every party with the same arguments shape; only the transport differs between backends.
"""
