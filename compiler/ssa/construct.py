"""``FunctionBuilder``: emit IR block by block and get SSA form on the fly.

The AST→IR builder (later) names source variables and lets this class place the phis, by
Braun et al.'s algorithm ("Simple and Efficient Construction of Static Single Assignment
Form", CC 2013): ``write(var, value)`` records a definition in the current block,
``read(var)`` finds the reaching one, creating phis at joins, and phis that turn out
trivial (all operands one value) are removed at once. A block is *sealed* when all its
predecessors are known (a loop header only after its back edge); reads in an unsealed
block create placeholder phis that sealing completes.
"""

from __future__ import annotations

from stoffel.compiler.ssa.ir import Block, Function, Instr, Operand, Type, Var


class UndefinedVariableError(Exception):
    """A variable is read on a path where it was never written (the checker prevents it)."""


class FunctionBuilder:
    def __init__(self, name: str, params: list[tuple[str, Type]], ret_type: Type | None) -> None:
        self.fn = Function(name, [Var(n, t) for n, t in params], ret_type)
        self.preds: dict[str, list[str]] = {}
        self.block = self.new_block("entry")
        self.sealed: set[str] = {"entry"}
        self.var_types: dict[str, Type] = {}
        self.defs: dict[str, dict[str, Operand]] = {}  # variable -> block label -> value
        self.incomplete: dict[str, dict[str, Instr]] = {}  # block -> variable -> phi
        self._n = 0
        for p in self.fn.params:
            self.declare(p.name, p.type)
            self.write(p.name, p)

    # --- blocks and instructions -------------------------------------------------------

    def new_block(self, hint: str) -> Block:
        label = hint if hint not in self.fn.block_map() else self.fn.fresh_label(hint)
        block = Block(label)
        self.fn.blocks.append(block)
        self.preds[label] = []
        return block

    def position(self, block: Block) -> None:
        self.block = block

    def _var(self, ty: Type) -> Var:
        self._n += 1
        return Var(str(self._n), ty)

    def emit(
        self, opcode: str, operands: list[Operand], ty: Type | None = None, **kw: object
    ) -> Var | None:
        """Append an instruction to the current block; returns its result, if typed."""
        result = self._var(ty) if ty is not None else None
        self.block.instrs.append(Instr(opcode, list(operands), result, **kw))  # type: ignore[arg-type]
        return result

    def br(self, target: Block, line: int | None = None) -> None:
        self.block.instrs.append(Instr("br", labels=[target.label], line=line))
        self.preds[target.label].append(self.block.label)

    def cbr(self, cond: Operand, yes: Block, no: Block, line: int | None = None) -> None:
        self.block.instrs.append(Instr("cbr", [cond], labels=[yes.label, no.label], line=line))
        for t in dict.fromkeys([yes.label, no.label]):
            self.preds[t].append(self.block.label)

    def ret(self, value: Operand | None = None, line: int | None = None) -> None:
        self.block.instrs.append(Instr("ret", [value] if value is not None else [], line=line))

    # --- variables ---------------------------------------------------------------------

    def declare(self, var: str, ty: Type) -> None:
        self.var_types[var] = ty
        self.defs.setdefault(var, {})

    def write(self, var: str, value: Operand, block: Block | None = None) -> None:
        self.defs[var][(block or self.block).label] = value

    def read(self, var: str, block: Block | None = None) -> Operand:
        label = (block or self.block).label
        found = self.defs[var].get(label)
        return found if found is not None else self._read_recursive(var, label)

    def _read_recursive(self, var: str, label: str) -> Operand:
        value: Operand
        if label not in self.sealed:
            phi = self._new_phi(var, label)
            self.incomplete.setdefault(label, {})[var] = phi
            assert phi.result is not None
            value = phi.result
        elif len(self.preds[label]) == 1:
            value = self.read(var, self._block(self.preds[label][0]))
        elif not self.preds[label]:
            if label == self.fn.entry.label:
                raise UndefinedVariableError(f"variable {var!r} is read before it is written")
            # Unreachable code (after a return, say): an operand-less phi is a valid
            # placeholder there, and simplify_cfg deletes the block.
            phi = self._new_phi(var, label)
            assert phi.result is not None
            value = phi.result
        else:
            phi = self._new_phi(var, label)
            assert phi.result is not None
            self.defs[var][label] = phi.result  # breaks cycles through loops
            value = self._add_operands(var, phi, label)
        self.defs[var][label] = value
        return value

    def seal(self, block: Block) -> None:
        """All predecessors of ``block`` are known: complete its placeholder phis."""
        for var, phi in self.incomplete.pop(block.label, {}).items():
            self._add_operands(var, phi, block.label)
        self.sealed.add(block.label)

    # --- phis ----------------------------------------------------------------------------

    def _block(self, label: str) -> Block:
        return self.fn.block(label)

    def _new_phi(self, var: str, label: str) -> Instr:
        phi = Instr("phi", [], self._var(self.var_types[var]))
        self._block(label).phis.append(phi)
        return phi

    def _add_operands(self, var: str, phi: Instr, label: str) -> Operand:
        for pred in self.preds[label]:
            phi.operands.append(self.read(var, self._block(pred)))
            phi.labels.append(pred)
        return self._remove_if_trivial(phi)

    def _remove_if_trivial(self, phi: Instr) -> Operand:
        assert phi.result is not None
        me = phi.result
        others = {o for o in phi.operands if o != me}
        if len(others) != 1:
            return me  # a real merge (or unreachable, with no operands)
        (same,) = others
        users = [i for i in self.fn.instrs() if i is not phi and me in i.operands]
        for block in self.fn.blocks:
            if phi in block.phis:
                block.phis.remove(phi)
        for user in users:
            user.replace_operand(me, same)
        for per_block in self.defs.values():
            for lab, value in per_block.items():
                if value == me:
                    per_block[lab] = same
        # Replacing may have made a user phi trivial in turn.
        for user in users:
            if user.opcode == "phi" and user.result is not None and user.labels:
                self._remove_if_trivial(user)
        return same

    def finish(self) -> Function:
        if self.incomplete:
            raise ValueError(f"unsealed blocks: {sorted(self.incomplete)}")
        return self.fn
